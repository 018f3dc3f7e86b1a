/**
 * One failing batch does not take the run's report with it (DESIGN.md "Verify, remember, tell"):
 * a batch whose retries run out is caught inside the Map, the report and the email list its
 * instances as not diagnosed this run with the error, the other batches are reported (and fixed),
 * and those instances are neither new nor resolved in the ledger. Every batch failing fails the run.
 */
import { describe, expect, it } from 'vitest';
import type { CallFault } from '../../lambdas/sim/account.ts';
import { archivedReport, run, sampleFleet, withTable } from './harness.ts';

const BATCH_SIZE = 5;

/** DescribeInstances refusing the batch that holds `instanceId` (it filters by instance-id), on every attempt. */
const batchOf =
  (instanceId: string): CallFault =>
  (call) => {
    const filters = (call.input as { Filters?: { Name?: string; Values?: string[] }[] }).Filters ?? [];
    const asked = filters.find((f) => f.Name === 'instance-id')?.Values ?? [];
    return call.caller === 'Diagnose batch' &&
      call.action === 'ec2:DescribeInstances' &&
      asked.includes(instanceId)
      ? Object.assign(new Error('Request limit exceeded past retries'), {
          name: 'RequestLimitExceeded',
          $metadata: {},
        })
      : undefined;
  };

describe('a batch that fails after its retries', () => {
  it('leaves a report of the rest, naming its instances as not diagnosed this run', {
    timeout: 120_000,
  }, async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet(), { batchSize: BATCH_SIZE });
      expect(first.status).toBe('SUCCEEDED');
      const all = archivedReport(first.account).findings.map((f) => f.instanceId);
      const victim = all[7] as string;

      const second = await run(dynamo, await sampleFleet(), {
        account: first.account,
        batchSize: BATCH_SIZE,
        callFault: batchOf(victim),
      });

      expect(second.status).toBe('SUCCEEDED');
      const report = archivedReport(second.account);
      const error = report.errors.find((e) => e.code === 'BatchNotDiagnosed');
      expect(error?.message).toContain(victim);
      expect(error?.message).toContain('RequestLimitExceeded');
      const notDiagnosed = all.filter((id) => error?.message.includes(id));
      expect(notDiagnosed.length).toBeGreaterThan(0);
      expect(notDiagnosed.length).toBeLessThanOrEqual(BATCH_SIZE);
      // The other batches are reported as before.
      expect(report.findings.map((f) => f.instanceId).sort()).toEqual(
        all.filter((id) => !notDiagnosed.includes(id)).sort(),
      );
      // Not diagnosed is not resolved: no event, no "back online" for them.
      const resolved = second.account.events.filter((e) => e.DetailType === 'Finding resolved');
      expect(resolved).toEqual([]);
      const email = second.account.published.at(-1)?.Message ?? '';
      expect(email).toContain('not diagnosed this run');
      expect(email).toContain(victim);

      // The next healthy run finds them open as before: nothing new, nothing resolved.
      const third = await run(dynamo, await sampleFleet(), { account: first.account, batchSize: BATCH_SIZE });
      expect(third.status).toBe('SUCCEEDED');
      expect(archivedReport(third.account).findings).toHaveLength(all.length);
      expect(third.account.events.filter((e) => e.DetailType === 'Finding resolved')).toEqual([]);
    });
  });

  it('fails the run when every batch failed', async () => {
    await withTable(async (dynamo) => {
      const everyBatch: CallFault = (call) =>
        call.caller === 'Diagnose batch' && call.action === 'ec2:DescribeInstances'
          ? Object.assign(new Error('broken'), { name: 'RequestLimitExceeded', $metadata: {} })
          : undefined;

      const result = await run(dynamo, await sampleFleet(), { batchSize: BATCH_SIZE, callFault: everyBatch });

      expect(result.status).toBe('FAILED');
      expect(result.account.published).toHaveLength(1);
      expect(result.account.published[0]?.Subject).toMatch(/run FAILED/);
      expect(result.account.published[0]?.Message).toMatch(/All \d+ batches .* failed/);
    });
  });
});
