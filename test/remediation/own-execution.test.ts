/**
 * Act only on what is real now, in the deployed workflow: the remediate function, under the role
 * the template gives it, changes nothing unless the execution it is told about is RUNNING on this
 * stack's state machine and is this run's. A run is made with its Plan and apply fixes stage
 * replaced (so its findings wait in the table with remediation on in SSM), then the real stage is
 * invoked as someone with Lambda rights would: for the finished execution, for another state
 * machine's, for another run's, with none; and last as its own running execution, which does apply.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { RemediateInput, RemediateOutput } from '../../lambdas/workflow/contract.ts';
import type { RemediationsObject } from '../../lambdas/workflow/run-findings.ts';
import { REMEDIATIONS_OBJECT, WorkObjects } from '../../lambdas/workflow/work-objects.ts';
import { localDeployment } from '../support/local/definition.ts';
import type { LocalDynamo } from '../support/local/dynamo-local.ts';
import { STAGE_HANDLERS } from '../support/local/handlers.ts';
import { deployedInto, reportBucketOf } from '../support/local/run-locally.ts';
import { run, withTable } from '../workflow/harness.ts';
import { buildWorld } from './worlds.ts';

const A = 'i-0000000000000000a';
const STATE = 'Plan and apply fixes';

/** One instance whose role lacks the core policy: the fix that would apply is attach-core-policy. */
const world = () => buildWorld({ instances: [{ id: A, profile: 'app' }], profiles: { app: 'app-role' } });

/** The real remediate handler, as the harness runs it: the template's role, env and clients. */
function remediateAsDeployed(account: SimulatedAccount, dynamo: LocalDynamo) {
  const deployment = localDeployment(account, dynamo.tableName);
  const deployed = deployment.stages[STATE];
  if (!deployed) throw new Error(`no ${STATE} in the template`);
  const caller = {
    label: STATE,
    principalArn: account.assumedRoleArn(deployed.roleName, deployed.functionId),
    policies: deployed.policies,
  };
  const invoke = STAGE_HANDLERS.remediate.withRuntime({
    env: { ...deployed.env, AWS_REGION: account.region },
    clients: { simulated: account, caller, retry: 'immediate' },
    dynamo: account.guard(dynamo.newClient(), caller),
    clock: () => account.now(),
    log: () => {},
    metrics: () => undefined,
  });
  return {
    stateMachineArn: deployment.stateMachineArn,
    invoke: (input: RemediateInput) => invoke(input as never) as Promise<RemediateOutput>,
  };
}

describe('the remediate function outside its own running execution', () => {
  it('changes nothing for a finished, foreign or missing execution, and applies inside its own', async () => {
    await withTable(async (dynamo) => {
      const deployment = localDeployment(world(), dynamo.tableName);
      const simulated = new SimulatedAccount(deployedInto(world(), deployment, { 'remediation-mode': 'on' }));
      const work = new WorkObjects(
        createClients({ region: simulated.region, simulated }).s3,
        reportBucketOf(simulated),
        'run-1',
      );
      const first = await run(dynamo, world(), {
        account: simulated,
        executionName: 'run-1',
        stageOverrides: {
          [STATE]: async () => {
            await work.put(REMEDIATIONS_OBJECT, { byInstance: {} });
            return { planned: 0, applied: 0, failed: 0 };
          },
        },
      });
      expect(first.status).toBe('SUCCEEDED');
      const { account, executionArn } = first;
      const { invoke, stateMachineArn } = remediateAsDeployed(account, dynamo);
      const remediationOf = async () =>
        (await work.get<RemediationsObject>(REMEDIATIONS_OBJECT)).byInstance[A]?.remediations.find(
          (r: Finding['remediations'][number]) => r.id === 'attach-core-policy',
        );
      const before = JSON.stringify(account.snapshot());

      const foreignMachine = stateMachineArn.replace(':ssm-doctor-workflow', ':someone-elses');
      const foreign = `${foreignMachine.replace(':stateMachine:', ':execution:')}:run-1`;
      account.registerExecution({ executionArn: foreign, stateMachineArn: foreignMachine, name: 'run-1' });
      const otherRun = executionArn.replace(':run-1', ':run-2');
      account.registerExecution({ executionArn: otherRun, stateMachineArn, name: 'run-2' });
      for (const input of [
        { runId: 'run-1', executionArn }, // its own, SUCCEEDED
        { runId: 'run-1', executionArn: foreign }, // RUNNING, another state machine (the role may not even read it)
        { runId: 'run-1', executionArn: otherRun }, // RUNNING, this state machine, another run
        { runId: 'run-1' }, // no execution at all
      ]) {
        const output = await invoke(input);
        expect(output, JSON.stringify(input)).toMatchObject({ applied: 0 });
        expect(JSON.stringify(account.snapshot()), JSON.stringify(input)).toBe(before);
        expect(await remediationOf(), JSON.stringify(input)).toMatchObject({
          status: 'skipped',
          reason: 'changed-since-planning',
        });
      }
      expect(account.changes).toEqual([]);

      // The same invocation while its own execution runs: the check passes, the fix is made.
      account.registerExecution({ executionArn, stateMachineArn, name: 'run-1' });
      expect(await invoke({ runId: 'run-1', executionArn })).toMatchObject({ applied: 1 });
      expect(account.changes.map((c) => c.action)).toEqual(['iam:AttachRolePolicy', 'iam:TagRole']);
      expect(await remediationOf()).toMatchObject({ status: 'applied' });
    });
  });
});
