/**
 * A local workflow run keeps the full report in the report bucket, links it from the email, and
 * puts one EventBridge event per finding change on the default bus.
 */
import { AttachRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { EVENT_SOURCE } from '../../lambdas/workflow/finding-events.ts';
import { reportBucketOf } from '../support/local/run-locally.ts';
import { run, sampleFleet, withTable } from './harness.ts';

describe('the run report and events', () => {
  it('stores the JSON and markdown report, links it, and opens one event per new finding in batches of ≤ 10', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet());
      const { account } = result;

      const bucket = reportBucketOf(account);
      // The run's work objects (work/…) expire; the report (runs/…) is what is kept.
      const reports = account.objects.filter((o) => o.Key.startsWith('runs/'));
      expect(reports.map((o) => [o.Bucket, o.Key.split('/').pop()])).toEqual([
        [bucket, 'report.json'],
        [bucket, 'report.md'],
      ]);
      expect(account.objects.every((o) => o.Key.startsWith('runs/') || o.Key.startsWith('work/'))).toBe(true);
      const stored = JSON.parse(reports[0]?.Body ?? '{}');
      expect(stored.format).toBe('ssm-doctor/report@1');
      expect(stored.findings).toHaveLength(21);
      // The only defect two instances share (legacy-app-role) degrades: no root-cause group.
      expect(stored.groups).toHaveLength(0);
      expect(reports[1]?.Body).toMatch(/^# ssm-doctor report — 111122223333 \/ eu-west-1/);
      const key = encodeURIComponent(reports[1]?.Key ?? '');
      expect(account.published[0]?.Message).toContain(
        `Full report of this run (JSON and markdown): https://console.aws.amazon.com/s3/object/${bucket}?region=eu-west-1&bucketType=general&prefix=${key}`,
      );

      expect(account.events).toHaveLength(21);
      expect(new Set(account.events.map((e) => `${e.Source}/${e.DetailType}`))).toEqual(
        new Set([`${EVENT_SOURCE}/Finding opened`]),
      );
      const legacy = account.events.find((e) => (e.Detail as { name?: string }).name === 'legacy-app-1');
      expect(legacy?.Detail).toMatchObject({
        version: 1,
        accountId: '111122223333',
        region: 'eu-west-1',
        rootCause: 'UNKNOWN',
        ssmStatus: 'ConnectionLost',
        reportUrl: expect.stringContaining(bucket),
      });
      expect(legacy?.Resources[0]).toMatch(/^arn:aws:ec2:eu-west-1:111122223333:instance\/i-/);
      expect(account.callCounts()['events:PutEvents']).toBe(3);
    });
  });

  it('tells each fix applied', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), {
        settings: { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' },
      });

      const applied = result.account.events.filter((e) => e.DetailType === 'Fix applied');
      expect(applied.map((e) => (e.Detail as { fix: { id: string } }).fix.id).sort()).toEqual([
        'attach-core-policy',
        'attach-core-policy',
        'enforce-imdsv2',
        'enforce-imdsv2',
      ]);
      expect(applied[0]?.Detail).toMatchObject({ fix: { status: 'verified', outcome: 'back-online' } });
    });
  });

  it("tells an operator's own fix as resolved and back online on the next run, and opens nothing again", async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet());
      const before = first.account.events.length;
      const iam = createClients({ region: first.account.region, simulated: first.account }).iam;
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'legacy-app-role',
          PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        }),
      );

      const second = await run(dynamo, await sampleFleet(), { account: first.account });

      const later = second.account.events.slice(before);
      expect(later.map((e) => e.DetailType)).toEqual(['Finding resolved', 'Finding resolved']);
      expect(later.map((e) => e.Detail)).toEqual([
        expect.objectContaining({ previousRootCause: 'UNKNOWN', backOnline: true }),
        expect.objectContaining({ previousRootCause: 'UNKNOWN', backOnline: true }),
      ]);
      expect(second.account.objects.filter((o) => o.Key.startsWith('runs/'))).toHaveLength(4);
    });
  });

  it('puts a Run failed event when a stage fails', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), {
        stageOverrides: {
          'Plan and apply fixes': async () => {
            throw new Error('boom');
          },
        },
      });

      expect(result.status).toBe('FAILED');
      const failed = result.account.events.filter((e) => e.DetailType === 'Run failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.Detail).toMatchObject({ version: 1, accountId: '111122223333', error: 'Error' });
    });
  });
});
