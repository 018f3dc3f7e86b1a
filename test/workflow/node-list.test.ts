/**
 * Discovery in the deployed workflow reads the node list (ssm:DescribeInstanceProperties) under
 * Start run's synthesized role — one call for the sample fleet, no DescribeInstanceInformation
 * listing — and where the node list is denied it lists the registrations the slow way, with the
 * same findings, and says so in the report's errors (a silent fallback would hide a lost grant
 * that costs 20 times the calls).
 */
import { describe, expect, it } from 'vitest';
import type { CallFault } from '../../lambdas/sim/account.ts';
import { archivedReport, run, sampleFleet, withTable } from './harness.ts';

const nodeListDenied: CallFault = (call) =>
  call.action === 'ssm:DescribeInstanceProperties'
    ? Object.assign(new Error('not authorized to perform: ssm:DescribeInstanceProperties'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      })
    : undefined;

const verdicts = (report: ReturnType<typeof archivedReport>) =>
  report.findings.map((f) => `${f.instanceId}:${f.ssmStatus}:${f.rootCause}`).sort();

describe('discovery in the workflow', () => {
  it('reads the node list under its own role, and says so when it has to fall back', {
    timeout: 120_000,
  }, async () => {
    await withTable(async (dynamo) => {
      const fast = await run(dynamo, await sampleFleet());
      expect(fast.status).toBe('SUCCEEDED');
      expect(fast.account.callCounts()['ssm:DescribeInstanceProperties']).toBe(1);
      expect(fast.account.callCounts()['ssm:DescribeInstanceInformation']).toBeUndefined();
      const report = archivedReport(fast.account);
      expect(report.errors.filter((e) => e.api === 'ssm:DescribeInstanceProperties')).toEqual([]);

      const slow = await run(dynamo, await sampleFleet(), { callFault: nodeListDenied });
      expect(slow.status).toBe('SUCCEEDED');
      expect(slow.account.callCounts()['ssm:DescribeInstanceInformation']).toBeGreaterThan(0);
      const fallback = archivedReport(slow.account);
      expect(verdicts(fallback)).toEqual(verdicts(report));
      expect(fallback.errors).toContainEqual(
        expect.objectContaining({
          code: 'AccessDeniedException',
          api: 'ssm:DescribeInstanceProperties',
          message: expect.stringContaining('Grant ssm:DescribeInstanceProperties'),
        }),
      );
    });
  });
});
