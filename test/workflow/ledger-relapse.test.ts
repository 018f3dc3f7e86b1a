/**
 * An instance that recovered leaves the open list, but its ledger entry keeps the fixes tried on
 * it. When it comes back as a problem within the cooldown, the report must carry that history
 * forward: otherwise the next run finds no attempt on record and applies the same fix again.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { StageDeps } from '../../lambdas/workflow/deps.ts';
import { coolingDownFrom, type LedgerEntry } from '../../lambdas/workflow/ledger.ts';
import type { FindingsObject, RunMeta } from '../../lambdas/workflow/run-data.ts';
import { reportRun } from '../../lambdas/workflow/stages/report.ts';
import { batchDoneKey, RunStore } from '../../lambdas/workflow/store.ts';
import { findingsObject, REMEDIATIONS_OBJECT, WorkObjects } from '../../lambdas/workflow/work-objects.ts';
import { buildWorld } from '../remediation/worlds.ts';
import { withTable } from './harness.ts';

const BUCKET = 'ssm-doctor-reports-111122223333-eu-west-1';

const A = 'i-0000000000000000a';
const FIXED_AT = '2026-11-26T05:00:00.000Z';
const NOW = new Date('2026-11-26T06:00:00Z');

const relapsed: Finding = {
  instanceId: A,
  name: 'app-1',
  ssmStatus: 'ConnectionLost',
  rootCause: 'ROLE_MISSING_SSM_PERMISSIONS',
  causes: ['ROLE_MISSING_SSM_PERMISSIONS'],
  checks: [],
  remediations: [{ id: 'attach-core-policy', status: 'skipped', target: 'app-role', reason: 'cooldown' }],
  nextSteps: [],
  instance: { platform: 'linux' },
};

function meta(runId: string): RunMeta {
  return {
    runId,
    startedAt: NOW.toISOString(),
    identity: { accountId: '111122223333', partition: 'aws' },
    region: 'eu-west-1',
    settings: { ...DEFAULT_SETTINGS, remediationMode: 'on' },
    errors: [],
    summary: {
      runningInstances: 1,
      online: 0,
      notRegistered: 0,
      connectionLost: 1,
      ignored: 0,
      inGracePeriod: 0,
    },
    batchCount: 1,
  };
}

describe('the ledger of an instance that relapses', () => {
  it('keeps the fixes tried before it recovered, so the cooldown still holds next run', async () => {
    await withTable(async (dynamo) => {
      // Prepare: the fix was applied an hour ago, the instance recovered (not open any more) and is back.
      const account = new SimulatedAccount(buildWorld({ instances: [] }));
      const store = new RunStore(dynamo.client, dynamo.tableName, () => NOW);
      const clients = createClients({ region: 'eu-west-1', simulated: account });
      const earlier: LedgerEntry = {
        instanceId: A,
        name: 'app-1',
        firstSeen: '2026-11-26T04:00:00.000Z',
        lastSeen: FIXED_AT,
        rootCause: 'ROLE_MISSING_SSM_PERMISSIONS',
        fixes: [{ id: 'attach-core-policy', target: 'app-role', status: 'applied', at: FIXED_AT }],
      };
      await store.putLedger(A, earlier);
      await store.putRunItem('run-3', 'META', meta('run-3'));
      // What the run's earlier stages handed on: the batch's findings and the (empty) plan.
      const work = new WorkObjects(clients.s3, BUCKET, 'run-3');
      await work.put(findingsObject(0), {
        items: [{ finding: relapsed, subject: { instanceId: A, causes: relapsed.causes, optedOut: false } }],
      } satisfies FindingsObject);
      await store.putRunItem('run-3', batchDoneKey(0), { batchIndex: 0, findings: 1, dropped: 0 });
      await work.put(REMEDIATIONS_OBJECT, { byInstance: {} });
      const deps: StageDeps<'report'> = {
        clients,
        env: {
          TABLE_NAME: dynamo.tableName,
          TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:ssm-doctor-notifications',
          REPORT_BUCKET: BUCKET,
        },
        store,
        clock: () => NOW,
        batchSize: 100,
        log: () => undefined,
      };

      // Act
      await reportRun(deps, { runId: 'run-3' });

      // Assess: still news (it is open again), and the attempt an hour ago is still on record.
      expect(account.published.at(-1)?.Message).toContain(`[NEW] ${A}`);
      const ledger = await store.getLedger<LedgerEntry>([A]);
      expect(ledger.get(A)?.fixes).toEqual(earlier.fixes);
      const inTwoHours = new Date(NOW.getTime() + 2 * 3_600_000);
      expect(coolingDownFrom(ledger, inTwoHours)('app-role', 'attach-core-policy')).toBe(true);
    });
  });
});
