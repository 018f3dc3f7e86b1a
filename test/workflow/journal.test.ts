/**
 * Never lose a change, never go silent: the local workflow (synthesized state machine, real
 * stages, dynalite) with DynamoDB or SNS failing at the worst moments of a run with fixes.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { CallFault } from '../../lambdas/sim/account.ts';
import { SimulatedAccount, type World } from '../../lambdas/sim/index.ts';
import { changesOf, readJournal, TableJournal } from '../../lambdas/workflow/journal.ts';
import { CHANGE_LOG_MESSAGE } from '../../lambdas/workflow/stages/remediate.ts';
import { RunStore } from '../../lambdas/workflow/store.ts';
import { HEALTH_LOG_LINES } from '../../lib/constructs/monitoring.ts';
import type { LocalDynamo } from '../support/local/dynamo-local.ts';
import type { TableCall } from '../support/local/run-locally.ts';
import { run, sampleFleet, statesEntered, withTable } from './harness.ts';

// IMDS fixes too (enforce-imdsv2 is off by default): every kind of change is journalled.
const ON = { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' };
/** The writes the sample fleet's fixes make with remediation on. */
// Both IMDS fixes (a disabled endpoint, and optional tokens nobody uses) and the shared role's one change.
/** Each change once, each followed by its ssm-doctor:changed marker (once too, however often the stage ran). */
const FIX_WRITES = [
  'ec2:CreateTags',
  'ec2:CreateTags',
  'ec2:ModifyInstanceMetadataOptions',
  'ec2:ModifyInstanceMetadataOptions',
  'iam:AttachRolePolicy',
  'iam:TagRole',
];

/** A DynamoDB error as the SDK raises one for a 500: the stage turns it into `AwsOutage`. */
const tableDown = () =>
  Object.assign(new Error('simulated DynamoDB outage'), {
    name: 'InternalServerError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });

/** An S3 error as the SDK raises one for a 500 (`InternalError`): the stage turns it into `AwsOutage`. */
const bucketDown = () =>
  Object.assign(new Error('simulated S3 outage'), {
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });

/** Fails the outcomes object `Plan and apply fixes` puts after its changes, `times` times (always when absent). */
function outcomesRefused(times = Number.POSITIVE_INFINITY): CallFault {
  let left = times;
  return (call) =>
    call.caller === 'Plan and apply fixes' && call.action === 's3:PutObject' && left-- > 0
      ? bucketDown()
      : undefined;
}

/** Fails the calls `matches` picks, `times` times (always when absent). */
function failing(matches: (call: TableCall) => boolean, times = Number.POSITIVE_INFINITY) {
  let left = times;
  return (call: TableCall) => (matches(call) && left-- > 0 ? tableDown() : undefined);
}

const skOf = (call: TableCall) => String((call.input.Item as { sk?: string } | undefined)?.sk ?? '');

const withFaults = (world: World, faults: NonNullable<World['simulation']>['faults']): World => ({
  ...world,
  simulation: { ...world.simulation, faults },
});

const journalOf = async (dynamo: LocalDynamo, runId: string) =>
  readJournal(dynamo.client, dynamo.tableName, runId);

const changesIn = (account: { changes: { action: string }[] }) => account.changes.map((c) => c.action).sort();

describe('the change journal', () => {
  it('keeps every change of a run whose bucket fails while storing the outcomes, and the failure email lists them', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), {
        settings: ON,
        executionName: 'run-table-fails',
        callFault: outcomesRefused(),
      });

      expect(result.status).toBe('FAILED');
      // Retried as an outage three times, each attempt resumed from the journal: each change made once.
      expect(changesIn(result.account)).toEqual(FIX_WRITES);
      const lines = await journalOf(dynamo, 'run-table-fails');
      const changes = changesOf(lines);
      // One change per write: the shared role's policy covers two instances with one AttachRolePolicy.
      expect(changes).toHaveLength(3);
      expect(changes.every((c) => c.event === 'outcome' && c.status === 'applied')).toBe(true);
      expect(lines.filter((l) => l.event === 'intent')).toHaveLength(3);
      expect(result.account.published).toHaveLength(1);
      const email = result.account.published[0]?.Message ?? '';
      expect(result.account.published[0]?.Subject).toMatch(/run FAILED/);
      expect(email).toContain('CHANGES MADE BY THIS RUN (3, from the change journal)');
      expect(email).toMatch(
        /- attach-core-policy on legacy-app-role \(for i-\w+\): APPLIED at .*iam:AttachRolePolicy/,
      );
      expect(email).toMatch(/- enforce-imdsv2 on i-\w+: APPLIED at .*ec2:ModifyInstanceMetadataOptions/);
      expect(email).toContain('Email id: run-table-fails/failure');
      // One structured line per change, as the README's Logs Insights query finds them.
      const logged = result.logs.filter((l) => l.message === CHANGE_LOG_MESSAGE);
      expect(logged.length).toBeGreaterThanOrEqual(2);
      expect(logged[0]?.fields).toMatchObject({ runId: 'run-table-fails', status: 'applied' });
    });
  });

  it('never overwrites a journal line', async () => {
    await withTable(async (dynamo) => {
      await run(dynamo, await sampleFleet(), { settings: ON, executionName: 'append-only' });
      const before = await journalOf(dynamo, 'append-only');
      const journal = new TableJournal(dynamo.client, dynamo.tableName, 'append-only');
      const first = before.find((l) => l.event === 'outcome');
      if (first?.event !== 'outcome') throw new Error('no outcome journaled');

      // Assess: a second outcome for the same change is refused, an intent finds the first outcome.
      await journal.outcome({ ...first, status: 'failed', reason: 'rewritten' });
      const answer = await journal.intent({ ...first, event: 'intent' });

      expect(await journalOf(dynamo, 'append-only')).toEqual(before);
      expect(answer).toEqual({ existed: true, outcome: first });
    });
  });

  it('resumes a retried Plan and apply fixes: its own fixes are applied by this run, and verified', async () => {
    await withTable(async (dynamo) => {
      // The first attempt makes every change, then cannot store the outcomes (once).
      const result = await run(dynamo, await sampleFleet(), {
        settings: ON,
        callFault: outcomesRefused(1),
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(changesIn(result.account)).toEqual(FIX_WRITES);
      expect(result.output).toMatchObject({
        remediation: { applied: 3, failed: 0 },
        verification: { verified: 3 },
      });
      expect(statesEntered(result)).toContain('Verify');
      const email = result.account.published.at(-1)?.Message ?? '';
      expect(email).not.toContain('already-fixed');
      expect(email).toContain('fixed in this run and back online in Systems Manager');
      expect(result.account.published).toHaveLength(1);
    });
  });

  it('resumes a stage that died between a write and its outcome: the re-read change is this run’s', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), {
        settings: ON,
        executionName: 'died-mid-write',
        tableFault: failing((c) => c.state === 'Plan and apply fixes' && skOf(c).endsWith('#OUTCOME'), 1),
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(changesIn(result.account)).toEqual(FIX_WRITES);
      expect(result.output).toMatchObject({ remediation: { applied: 3 }, verification: { verified: 3 } });
      const resumed = changesOf(await journalOf(dynamo, 'died-mid-write')).filter(
        (c) => c.event === 'outcome' && c.resumed,
      );
      expect(resumed).toHaveLength(1);
      expect(resumed[0]).toMatchObject({ status: 'applied' });
      expect(result.account.published.at(-1)?.Message).not.toContain('already-fixed');
    });
  });
});

describe('notification', () => {
  it('sends exactly one email when Report and notify is retried after publishing', async () => {
    await withTable(async (dynamo) => {
      let reportWrites = 0;
      const result = await run(dynamo, await sampleFleet(), {
        settings: ON,
        executionName: 'report-retried',
        // The first attempt publishes, then cannot store its REPORT item: the stage is retried.
        tableFault: (call) => {
          if (call.state !== 'Report and notify' || skOf(call) !== 'REPORT') return undefined;
          reportWrites++;
          return reportWrites === 1 ? tableDown() : undefined;
        },
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(reportWrites).toBe(2);
      expect(result.account.published).toHaveLength(1);
      expect(result.account.published[0]?.Message).toContain('Email id: report-retried/run');
    });
  });

  it('sends the run email once when SNS fails once, and carries nothing stale to the next run', async () => {
    await withTable(async (dynamo) => {
      const world = withFaults(await sampleFleet(), [
        { operation: 'Publish', code: 'InternalError', times: 1 },
      ]);
      const first = await run(dynamo, world, { settings: ON });
      expect(first.status).toBe('SUCCEEDED');
      expect(first.account.published).toHaveLength(1);

      const second = await run(dynamo, world, { account: first.account });
      expect(second.status).toBe('SUCCEEDED');
      expect(second.output).toMatchObject({ report: { notified: false } });
      expect(first.account.published).toHaveLength(1);
    });
  });

  it('keeps the emails of a run SNS refused, releases its lock, and the next run sends them with its changes', async () => {
    await withTable(async (dynamo) => {
      const world = withFaults(await sampleFleet(), [{ operation: 'Publish', code: 'InternalError' }]);
      const failed = await run(dynamo, world, { settings: ON, executionName: 'sns-down' });
      expect(failed.status).toBe('FAILED');
      expect(failed.account.published).toEqual([]);
      expect(changesIn(failed.account)).toEqual(FIX_WRITES);
      const store = new RunStore(dynamo.client, dynamo.tableName, () => failed.account.now());
      // Notify failure released the lock although it could not publish.
      expect(await store.acquireLock('someone', 60)).toBe(true);
      expect(await store.releaseLock('someone')).toBe(true);

      // SNS is back (the same account as the failed run left it, without the fault).
      const healed = new SimulatedAccount(withFaults(failed.account.snapshot(), []));
      const next = await run(dynamo, world, { account: healed, executionName: 'next-run' });

      expect(next.status).toBe('SUCCEEDED');
      expect(next.account.published).toHaveLength(1);
      const email = next.account.published[0]?.Message ?? '';
      expect(email).toContain('CHANGES MADE BY EARLIER RUNS THAT NO EMAIL HAS LISTED YET');
      expect(email).toContain('Run sns-down:');
      expect(email).toMatch(/attach-core-policy on legacy-app-role .*APPLIED/);
      expect(email).toContain('EARLIER EMAIL THAT COULD NOT BE SENT (sns-down/failure');
      expect(email).toContain('EARLIER EMAIL THAT COULD NOT BE SENT (sns-down/run');
      expect(email).toContain('Email id: next-run/run');

      // Told once: the run after that carries nothing.
      const third = await run(dynamo, world, { account: next.account });
      expect(third.output).toMatchObject({ report: { notified: false } });
      expect(third.account.published).toHaveLength(1);
    });
  });

  it('still emails when the table is down from the start', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), { tableFault: failing(() => true) });

      expect(result.status).toBe('FAILED');
      expect(statesEntered(result)).toEqual(expect.arrayContaining(['Notify failure', 'Run failed']));
      expect(result.account.published).toHaveLength(1);
      expect(result.account.published[0]?.Message).toContain('the change journal could not be read');
    });
  });
});

describe('the run lock', () => {
  const lockItem = (acquiredAt: Date, expiresAt: number) => ({
    pk: { S: 'LOCK' },
    sk: { S: 'RUN' },
    runId: { S: 'stuck-run' },
    acquiredAt: { S: acquiredAt.toISOString() },
    expiresAt: { N: String(expiresAt) },
  });

  it('never holds longer than its lifetime from when it was taken, whatever expiresAt says', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      const now = new Date(world.now ?? Date.now());
      const farFuture = Math.floor(now.getTime() / 1000) + 10 * 365 * 86_400;
      const put = (acquiredAt: Date) =>
        dynamo.client.send(
          new PutItemCommand({ TableName: dynamo.tableName, Item: lockItem(acquiredAt, farFuture) }),
        );

      // Taken an hour ago: still live, the run is skipped.
      await put(new Date(now.getTime() - 3600_000));
      const skipped = await run(dynamo, world);
      expect(statesEntered(skipped)).toContain('Skipped: locked');
      // The line the skipped-run alarm's metric filter counts (lib/constructs/monitoring.ts).
      expect(skipped.logs.map((l) => l.message)).toContain(HEALTH_LOG_LINES.skipped.message);

      // Taken five hours ago (a lock lives four): stale, taken over.
      await put(new Date(now.getTime() - 5 * 3600_000));
      const taken = await run(dynamo, world);
      expect(taken.status).toBe('SUCCEEDED');
      expect(statesEntered(taken)).not.toContain('Skipped: locked');
      // The line the dead-man alarm's metric filter counts.
      expect(taken.logs.map((l) => l.message)).toContain(HEALTH_LOG_LINES.completed.message);

      // Taken "tomorrow": no real lock, taken over.
      await put(new Date(now.getTime() + 86_400_000));
      expect(statesEntered(await run(dynamo, world))).not.toContain('Skipped: locked');
    });
  });
});
