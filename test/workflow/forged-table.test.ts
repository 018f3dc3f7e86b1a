/**
 * The remediate function trusts the table for nothing that decides a change. Someone with only
 * DynamoDB and Lambda rights forges a META (mode on, IMDSv2 on) and a finding whose subject says
 * IMDSv1 is unused, then invokes the stage: the settings come from SSM, the usage from CloudWatch,
 * and the account is left as it was.
 */

import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { readOk } from '../../lambdas/engine/readout.ts';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { World } from '../../lambdas/sim/world.ts';
import type { RemediationsObject } from '../../lambdas/workflow/run-findings.ts';
import { remediateRun } from '../../lambdas/workflow/stages/remediate.ts';
import { batchDoneKey, RunStore } from '../../lambdas/workflow/store.ts';
import { findingsObject, REMEDIATIONS_OBJECT, WorkObjects } from '../../lambdas/workflow/work-objects.ts';
import { buildWorld } from '../remediation/worlds.ts';
import { seededParameters } from '../support/local/run-locally.ts';
import { withTable } from './harness.ts';

const A = 'i-0000000000000000a';
const PREFIX = '/ssm-doctor/';

const finding: Finding = {
  instanceId: A,
  name: '000a',
  ssmStatus: 'NotRegistered',
  rootCause: 'ROLE_MISSING_SSM_PERMISSIONS',
  causes: ['ROLE_MISSING_SSM_PERMISSIONS'],
  checks: [],
  remediations: [],
  nextSteps: [],
  instance: { platform: 'linux', instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/good' },
};

const BUCKET = 'ssm-doctor-reports-forged';
const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:ssm-doctor-workflow';
const executionOf = (name: string, machine = MACHINE) =>
  `${machine.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Forges the table and invokes the stage. `running` registers executions with the account first
 * (`execution` is the one the invocation names): the forger invoking while some run is under way.
 */
async function forgeAndInvoke(
  world: World,
  execution: string | undefined = executionOf('forged'),
  running: { arn: string; name: string; machine?: string; ended?: boolean }[] = [
    { arn: executionOf('forged'), name: 'forged' },
  ],
) {
  return withTable(async (dynamo) => {
    const account = new SimulatedAccount(world);
    for (const r of running) {
      account.registerExecution({ executionArn: r.arn, stateMachineArn: r.machine ?? MACHINE, name: r.name });
      if (r.ended) account.endExecution(r.arn, 'SUCCEEDED');
    }
    const clients = createClients({ region: account.region, simulated: account, maxAttempts: 1 });
    const store = new RunStore(dynamo.client, dynamo.tableName, () => account.now());
    await store.putRunItem('forged', 'META', {
      runId: 'forged',
      startedAt: account.now().toISOString(),
      identity: { accountId: account.accountId, partition: 'aws' },
      region: account.region,
      settings: { ...DEFAULT_SETTINGS, remediationMode: 'on', enforceImdsV2: true },
      errors: [],
      summary: {},
      batchCount: 1,
    });
    const work = new WorkObjects(clients.s3, BUCKET, 'forged');
    await store.putRunItem('forged', batchDoneKey(0), { batchIndex: 0, findings: 1, dropped: 0 });
    await work.put(findingsObject(0), {
      items: [
        {
          finding,
          subject: {
            instanceId: A,
            causes: ['ROLE_MISSING_SSM_PERMISSIONS'],
            optedOut: false,
            instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/good',
            roleName: 'good-role',
            httpEndpoint: 'enabled',
            httpTokens: 'optional',
            metadataNoToken: readOk(0),
          },
        },
      ],
    });
    const before = JSON.stringify(account.snapshot());
    const output = await remediateRun(
      {
        clients,
        env: {
          TABLE_NAME: dynamo.tableName,
          SETTINGS_PREFIX: PREFIX,
          REMEDIATION_INSTANCE_PROFILE_NAME: 'ssm-doctor-fix',
          REPORT_BUCKET: BUCKET,
          STATE_MACHINE_ARN: MACHINE,
        },
        store,
        clock: () => account.now(),
        batchSize: 100,
        log: () => {},
      },
      { runId: 'forged', ...(execution ? { executionArn: execution } : {}) },
    );
    const { byInstance } = await work.get<RemediationsObject>(REMEDIATIONS_OBJECT);
    const stored = Object.entries(byInstance).map(([instanceId, entry]) => ({
      finding: { ...finding, instanceId, remediations: entry.remediations } as Finding,
    }));
    return { output, unchanged: JSON.stringify(account.snapshot()) === before, stored, account };
  });
}

const spec = {
  instances: [{ id: A, profile: 'good', tokens: 'optional' as const }],
  profiles: { good: 'good-role' },
  coreRoles: ['good-role'],
  metadataNoToken: { [A]: 5000 },
};

describe('a forged table item driving the remediate function', () => {
  it('changes nothing while SSM says dry-run (the default), whatever META says', async () => {
    // Every setting in Parameter Store, as a deploy leaves it (a missing one would turn fixes off anyway).
    const { output, unchanged, stored } = await forgeAndInvoke(
      seededParameters(buildWorld(spec), { 'remediation-mode': 'dry-run' }),
    );
    expect(output.applied).toBe(0);
    expect(unchanged).toBe(true);
    // Tokens optional and the setting off in SSM: the IMDS fix is not even listed, and the role
    // the forged cause names is found already allowed.
    expect(stored[0]?.finding.remediations).toMatchObject([
      { id: 'attach-core-policy', status: 'skipped', reason: 'would-not-help' },
    ]);
  });

  it('changes nothing even with SSM saying on, because IMDSv1 usage is re-read from CloudWatch', async () => {
    const world = seededParameters(buildWorld(spec), { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' });
    const { output, unchanged, stored } = await forgeAndInvoke(world);
    expect(output.applied).toBe(0);
    expect(unchanged).toBe(true);
    expect(stored[0]?.finding.remediations).toMatchObject([
      { id: 'attach-core-policy', status: 'skipped', reason: 'would-not-help' },
      { id: 'enforce-imdsv2', status: 'skipped', reason: 'imdsv1-in-use' },
    ]);
  });
});

describe('a remediate invocation outside its own running execution', () => {
  // IMDSv1 truly unused and every setting on: only the execution check stands between the
  // invocation and the change (the last case shows the change does happen when it passes).
  const idle = { ...spec, metadataNoToken: { [A]: 0 } };
  const on = () => seededParameters(buildWorld(idle), { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' });
  const held = (stored: { finding: Finding }[]) =>
    stored[0]?.finding.remediations.find((r) => r.id === 'enforce-imdsv2');

  it.each([
    ['no execution at all (a direct invocation)', undefined, []],
    ['an execution the account does not know', executionOf('forged'), []],
    [
      'its own execution, finished',
      executionOf('forged'),
      [{ arn: executionOf('forged'), name: 'forged', ended: true }],
    ],
    [
      'a RUNNING execution of another state machine',
      executionOf('forged', MACHINE.replace('ssm-doctor-workflow', 'other')),
      [
        {
          arn: executionOf('forged', MACHINE.replace('ssm-doctor-workflow', 'other')),
          name: 'forged',
          machine: MACHINE.replace('ssm-doctor-workflow', 'other'),
        },
      ],
    ],
    [
      'a RUNNING execution of this state machine for another run',
      executionOf('real'),
      [{ arn: executionOf('real'), name: 'real' }],
    ],
  ] as const)('changes nothing for %s', async (_case, execution, running) => {
    const { output, unchanged, stored, account } = await forgeAndInvoke(on(), execution, [...running]);
    expect(output.applied).toBe(0);
    expect(unchanged).toBe(true);
    expect(account.changes).toEqual([]);
    expect(held(stored)).toMatchObject({ status: 'skipped', reason: 'changed-since-planning' });
    expect(held(stored)?.record?.message).toBeTruthy();
  });

  it('does change the instance while its own execution is RUNNING on this state machine', async () => {
    const { output, unchanged, stored } = await forgeAndInvoke(on());
    expect(output.applied).toBe(1);
    expect(unchanged).toBe(false);
    expect(held(stored)).toMatchObject({ status: 'applied' });
  });
});
