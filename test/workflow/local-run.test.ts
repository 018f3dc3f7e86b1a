/**
 * The synthesized state machine, executed locally: every task runs its real stage code against the
 * simulated account (AWS) and dynalite (DynamoDB).
 */
import { AttachRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { RunStore } from '../../lambdas/workflow/store.ts';
import { run, sampleFleet, statesEntered, withTable } from './harness.ts';

describe('the workflow on the sample fleet', () => {
  it('in dry-run: diagnoses every candidate, plans without changing anything, emails once, frees the lock', async () => {
    await withTable(async (dynamo) => {
      // Act
      const result = await run(dynamo, await sampleFleet());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({
        locked: false,
        candidates: 21,
        remediation: { applied: 0, failed: 0 },
        report: { findings: 21, notified: true },
      });
      expect(statesEntered(result)).toEqual([
        'Start run',
        'Another run in progress?',
        'Diagnose batches',
        'Diagnose batch',
        'Plan and apply fixes',
        'Fixes applied?',
        'Report and notify',
        'Done',
      ]);
      expect(result.account.changes).toEqual([]);
      expect(result.account.published).toHaveLength(1);
      const email = result.account.published[0];
      expect(email?.Subject).toBe('ssm-doctor: 21 unmanaged instances in 111122223333/eu-west-1 (21 new)');
      expect(email?.Message).toContain('legacy-rhel-app');
      expect(email?.Message).toMatch(
        /\(legacy-app-1\).*\n {2}Done: attach-core-policy would run \(dry-run\)/,
      );
      const store = new RunStore(dynamo.client, dynamo.tableName, () => result.account.now());
      expect(await store.acquireLock('next-run', 60)).toBe(true);
    });
  });

  it('with remediation on: applies the fixes, waits, verifies, and announces them once', async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet(), {
        settings: { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' },
      });
      expect(first.status).toBe('SUCCEEDED');
      expect(statesEntered(first)).toEqual(expect.arrayContaining(['Wait for agents', 'Verify']));
      const { remediation } = first.output as { remediation: { applied: number; failed: number } };
      expect(remediation.applied).toBeGreaterThan(0);
      expect(remediation.failed).toBe(0);
      // With enforce-imdsv2 on: the disabled endpoint and the optional tokens without IMDSv1 use;
      // each change followed by its ssm-doctor:changed marker on what it changed.
      expect(first.account.changes.map((c) => c.action).sort()).toEqual(
        [
          'iam:AttachRolePolicy',
          'iam:TagRole',
          'ec2:ModifyInstanceMetadataOptions',
          'ec2:CreateTags',
          'ec2:ModifyInstanceMetadataOptions',
          'ec2:CreateTags',
        ].sort(),
      );
      const marked = first.account.changes.filter(
        (c) => c.action === 'ec2:CreateTags' || c.action === 'iam:TagRole',
      );
      const written = first.account.changes.filter((c) => !marked.includes(c));
      expect(marked.map((c) => c.target).sort()).toEqual(written.map((c) => c.target).sort());
      const email = first.account.published.at(-1);
      expect(email?.Subject).toBe(
        'ssm-doctor: 18 unmanaged instances in 111122223333/eu-west-1 (21 new, 3 fixed and back online)',
      );
      expect(email?.Message).toContain('- 3 fixed in this run and back online in Systems Manager');
      expect(email?.Message).toMatch(
        /^\[NEW\] \[FIXED, BACK ONLINE\] i-\w+ \(legacy-app-1\) — Online again \(was ConnectionLost\) — UNKNOWN/m,
      );

      // The next scheduled run, same account and table: nothing new to say.
      const second = await run(dynamo, await sampleFleet(), { account: first.account });
      expect(second.status).toBe('SUCCEEDED');
      expect(second.output).toMatchObject({ candidates: 18, report: { notified: false } });
    });
  });

  it("reports an operator's own fix as resolved and back online on the next run", async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet());
      const iam = createClients({ region: first.account.region, simulated: first.account }).iam;
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'legacy-app-role',
          PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        }),
      );

      const second = await run(dynamo, await sampleFleet(), { account: first.account });

      const email = second.account.published.at(-1);
      expect(email?.Subject).toMatch(/\(2 resolved\)$/);
      expect(email?.Message).toContain('RESOLVED SINCE THE LAST EMAIL');
      expect(email?.Message).toMatch(
        /\(legacy-app-1\): back online in Systems Manager \(was UNKNOWN, since /,
      );
    });
  });

  it('does not email again when nothing changed (notify-on=changes)', async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet());
      const second = await run(dynamo, await sampleFleet(), { account: first.account });
      expect(second.output).toMatchObject({ report: { notified: false } });
      expect(second.account.published).toHaveLength(1);
    });
  });

  it('reads settings every run: an invalid value forces remediation off and says so in the email', async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet(), {
        settings: { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' },
      });
      const ssm = createClients({ region: first.account.region, simulated: first.account }).ssm;
      await ssm.send(
        new PutParameterCommand({
          Name: '/ssm-doctor/max-remediations-per-run',
          Value: 'lots',
          Overwrite: true,
        }),
      );
      const changesBefore = first.account.changes.length;

      const second = await run(dynamo, await sampleFleet(), { account: first.account });

      expect(second.status).toBe('SUCCEEDED');
      expect(second.account.changes).toHaveLength(changesBefore);
      const email = second.account.published.at(-1);
      expect(email?.Subject).toContain('configuration problems');
      expect(email?.Message).toContain('max-remediations-per-run');
      expect(email?.Message).toContain('a whole number from 0 to 1000');
    });
  });

  it('never overlaps runs: a held lock ends the run at "Skipped: locked" without touching anything', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      const store = new RunStore(dynamo.client, dynamo.tableName, () => new Date(world.now ?? Date.now()));
      expect(await store.acquireLock('another-run', 3600)).toBe(true);

      const result = await run(dynamo, world);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ locked: true });
      expect(statesEntered(result)).toEqual(['Start run', 'Another run in progress?', 'Skipped: locked']);
      expect(result.account.published).toEqual([]);
      expect(await store.releaseLock('another-run')).toBe(true);
    });
  });

  it('lets a retried Start run take its own lock again, and frees it when Start run itself died', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      const store = new RunStore(dynamo.client, dynamo.tableName, () => new Date(world.now ?? Date.now()));
      // A first attempt of this execution took the lock, then the Lambda timed out.
      expect(await store.acquireLock('exec-1', 3600)).toBe(true);
      const retried = await run(dynamo, world, { executionName: 'exec-1' });
      expect(retried.output).toMatchObject({ locked: false, runId: 'exec-1' });

      expect(await store.acquireLock('exec-2', 3600)).toBe(true);
      const died = await run(dynamo, world, {
        executionName: 'exec-2',
        stageOverrides: {
          'Start run': async () => {
            throw new Error('Task timed out after 300.00 seconds');
          },
        },
      });
      expect(died.status).toBe('FAILED');
      expect(await store.acquireLock('exec-3', 60)).toBe(true);
    });
  });

  it('ends every failure in the failure email and a released lock', async () => {
    await withTable(async (dynamo) => {
      // Every batch fails (a batch alone would be caught: test/workflow/batch-isolation.test.ts).
      const result = await run(dynamo, await sampleFleet(), {
        callFault: (call) =>
          call.caller === 'Diagnose batch' && call.action === 'ec2:DescribeInstances'
            ? new Error('batch exploded')
            : undefined,
      });

      expect(result.status).toBe('FAILED');
      expect(result.error).toMatchObject({
        Error: 'Error',
        Cause: expect.stringContaining('batch exploded'),
      });
      expect(statesEntered(result)).toEqual(expect.arrayContaining(['Notify failure', 'Run failed']));
      const email = result.account.published.at(-1);
      expect(email?.Subject).toBe('ssm-doctor: run FAILED in 111122223333/eu-west-1');
      expect(email?.Message).toContain('batch exploded');
      const store = new RunStore(dynamo.client, dynamo.tableName, () => result.account.now());
      expect(await store.acquireLock('next-run', 60)).toBe(true);
    });
  });

  it('degrades a denied read to unknown checks instead of failing the run', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      world.simulation = {
        ...world.simulation,
        faults: [{ operation: 'DescribeNetworkAcls', code: 'UnauthorizedOperation' }],
      };

      const result = await run(dynamo, world);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ report: { findings: 21 } });
      // win-reporting-1 is blocked by an ACL; unreadable ACLs must not be blamed, nor guessed fine.
      const email = result.account.published.at(-1)?.Message ?? '';
      expect(email).not.toContain('NACL_BLOCKED');
      expect(email).toMatch(/win-reporting-1\) — ConnectionLost — UNKNOWN/);
    });
  });
});
