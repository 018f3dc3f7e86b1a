/**
 * Run as deployed: every state of the local workflow runs under the role the synthesized template
 * gives its function, and the simulated account authorizes each call against that role. Over the
 * runs that exercise every stage (sample fleet dry-run and on, DHMC off, DHMC with a broken role,
 * and a run with fixes that fails into Notify failure):
 * - no call any stage makes is denied (the template grants what the code calls);
 * - every statement of every stage role is needed: without it, some call of these runs is denied
 *   (so a statement dropped from the stack fails here, and a grant nobody uses shows up too).
 */
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import type { CallFault } from '../../lambdas/sim/account.ts';
import {
  authorize,
  loadWorld,
  SimulatedAccount,
  type TraceEntry,
  type World,
} from '../../lambdas/sim/index.ts';
import { localDeployment } from '../support/local/definition.ts';
import type { LocalDeployment } from '../support/local/deployment.ts';
import { deployedInto, SETTINGS_PREFIX } from '../support/local/run-locally.ts';
import { run, withTable } from './harness.ts';

/** Each scenario runs the workflow several times on one account and table, changing settings between runs. */
const ON = { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' };
const SCENARIOS: { world: string; runs: Record<string, string>[]; failingRun?: number }[] = [
  // dry-run, then fixes, then a run that sees the fixed instances resolved.
  { world: 'examples/worlds/sample-fleet.json', runs: [{}, ON, {}] },
  // No wait, so no Verify: the fixed instances are found back online (resolved) by the next run.
  { world: 'examples/worlds/dhmc-off.json', runs: [{ ...ON, 'verify-wait-minutes': '0' }, {}] },
  { world: 'examples/worlds/dhmc-invalid-role.json', runs: [ON] },
  // Fixes made, then S3 refuses their outcomes: Notify failure reads the change journal,
  // emails (recording it in the outbox) and releases the lock; the next run finds the outbox.
  { world: 'examples/worlds/sample-fleet.json', runs: [ON, {}], failingRun: 0 },
];
/** S3 refusing `Plan and apply fixes` its outcomes object (after the fixes are journaled). */
const outcomesRefused: CallFault = (call) =>
  call.caller === 'Plan and apply fixes' && call.action === 's3:PutObject'
    ? Object.assign(new Error('simulated bucket refusal'), { name: 'InvalidRequest', $metadata: {} })
    : undefined;

const traced: TraceEntry[] = [];
let deployment: LocalDeployment;
const statuses: string[] = [];

beforeAll(async () => {
  for (const scenario of SCENARIOS) {
    const world: World = await loadWorld(scenario.world);
    await withTable(async (dynamo) => {
      deployment = localDeployment(world, dynamo.tableName);
      const account = new SimulatedAccount(deployedInto(world, deployment), { trace: (e) => traced.push(e) });
      const ssm = createClients({ region: account.region, simulated: account }).ssm;
      for (const [i, settings] of scenario.runs.entries()) {
        for (const [name, Value] of Object.entries(settings)) {
          await ssm.send(
            new PutParameterCommand({ Name: `${SETTINGS_PREFIX}${name}`, Value, Overwrite: true }),
          );
        }
        const failing = scenario.failingRun === i;
        const result = await run(dynamo, world, {
          account,
          ...(failing ? { callFault: outcomesRefused } : {}),
        });
        statuses.push(`${scenario.world} run ${i + 1}: ${result.status}${failing ? ' (as meant)' : ''}`);
      }
    });
  }
}, 120_000);

describe('the local workflow under the synthesized roles', () => {
  it('succeeds in every scenario, and every task state made calls', () => {
    expect(
      statuses.every((s) => s.endsWith('SUCCEEDED') || s.endsWith('FAILED (as meant)')),
      statuses.join('\n'),
    ).toBe(true);
    expect(statuses.filter((s) => s.endsWith('(as meant)'))).toHaveLength(1);
    const states = new Set(traced.map((e) => e.state));
    expect([...states].sort()).toEqual(Object.keys(deployment.stages).sort());
  });

  it('makes no call that the template does not grant', () => {
    const denied = traced.filter((e) => !e.allowed).map((e) => `${e.state}: ${e.action} on ${e.resource}`);
    expect([...new Set(denied)]).toEqual([]);
  });

  it('needs every Allow statement of every stage role: without it a call of these runs is denied', () => {
    const unneeded: string[] = [];
    for (const [state, stage] of Object.entries(deployment.stages)) {
      const calls = traced.filter((e) => e.state === state);
      if (!calls.length) continue;
      stage.policies.forEach((policy, p) => {
        const statements = [policy.Statement].flat();
        statements.forEach((statement, s) => {
          const actions = [statement.Action ?? []].flat();
          // Log delivery is the Lambda runtime's, and KMS is used by SNS on the publisher's behalf.
          if (statement.Effect !== 'Allow' || actions.every((a) => /^(logs|kms):/.test(a))) return;
          const without = stage.policies.map((doc, i) =>
            i === p ? { ...doc, Statement: statements.filter((_, j) => j !== s) } : doc,
          );
          const caller = {
            label: state,
            principalArn: 'arn:aws:sts::1:assumed-role/test/test',
            policies: without,
          };
          const stillAllowed = calls.every((call) => authorize(caller, call.requests).allowed);
          if (stillAllowed) unneeded.push(`${state}: ${statement.Sid ?? ''} ${actions.join(',')}`);
        });
      });
    }
    expect(unneeded).toEqual([]);
  });
});
