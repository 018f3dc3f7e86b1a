/**
 * `Notify failure`: every failure path of the workflow ends here. Tell people what failed and
 * every change the run made (from the change journal), then free the lock so the next scheduled
 * run is not blocked by this one. The email goes first and the lock after, each whether or not
 * the other worked: a table that is down must not stop the email, nor SNS the release. An email
 * SNS refused is kept for the next run (workflow/outbox.ts). Must not fail itself on a missing run.
 */

import { putEvents } from '../../aws/events.ts';
import type { NotifyFailureInput, NotifyFailureOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderFailureEmail } from '../email.ts';
import { runFailedEvent } from '../finding-events.ts';
import { changesOf, describeChanges, readJournal } from '../journal.ts';
import { emailId, Outbox } from '../outbox.ts';

/** The partition of a region (the failure path has no run identity to read it from). */
const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

export async function notifyFailure(
  deps: StageDeps<'notify-failure'>,
  input: NotifyFailureInput,
): Promise<NotifyFailureOutput> {
  deps.log('Run failed', { runId: input.runId, error: input.error?.Error, cause: input.error?.Cause });
  const { store } = deps;
  const outbox = new Outbox(store.client, store.tableName, deps.clock);
  const changes = input.runId
    ? await readJournal(store.client, store.tableName, input.runId).then(
        (lines) => ({ ok: true as const, lines: describeChanges(changesOf(lines)) }),
        (error: unknown) => ({ ok: false as const, error: String((error as Error).message ?? error) }),
      )
    : { ok: true as const, lines: [] };
  const failure = renderFailureEmail(deps.env.ACCOUNT_ID, deps.clients.region, input.runId, input.error);
  const email = { subject: failure.subject, body: `${failure.body.trimEnd()}\n${changesSection(changes)}` };

  const { region } = deps.clients;
  const event = runFailedEvent(
    {
      runId: input.runId ?? 'not-started',
      accountId: deps.env.ACCOUNT_ID,
      region,
      partition: partitionOf(region),
      at: deps.clock(),
    },
    input.error,
  );
  // The email matters more than the event: an event that cannot be sent is logged, not fatal.
  await putEvents(deps.clients.events, [event]).catch((error: unknown) =>
    deps.log('Run-failed event not sent', { runId: input.runId, error: String(error) }),
  );
  let published: unknown;
  try {
    await outbox.publishOnce(
      deps.clients.sns,
      deps.env.TOPIC_ARN,
      emailId(input.runId ?? 'not-started', 'failure'),
      email,
    );
    // Its changes are told: the next run need not carry them (it still does if this fails).
    if (input.runId && changes.ok) await outbox.clear([], [input.runId]).catch(() => undefined);
  } catch (error) {
    published = error;
    deps.log('Failure email not published: kept for the next run', {
      runId: input.runId,
      error: String(error),
    });
  }
  let released = false;
  try {
    released = input.runId ? await store.releaseLock(input.runId) : false;
  } catch (error) {
    // Not thrown: a retry would email again (the table that would record the email is down too),
    // and the lock frees itself within its lifetime (RunStore.acquireLock).
    deps.log('Lock not released: it frees itself within its lifetime', {
      runId: input.runId,
      error: String(error),
    });
  }
  // Thrown so the workflow retries the email (and the run ends failed, which the alarm reports).
  if (published !== undefined) throw published;
  deps.log('Failure notified', {
    runId: input.runId,
    lockReleased: released,
    changes: changes.ok ? changes.lines.length : undefined,
  });
  return { notified: true };
}

function changesSection(changes: { ok: true; lines: string[] } | { ok: false; error: string }): string {
  if (!changes.ok)
    return [
      '',
      `CHANGES MADE BY THIS RUN: the change journal could not be read (${changes.error}).`,
      'They stay in the journal, and the next run that can read it lists them in its email.',
      '',
    ].join('\n');
  if (!changes.lines.length)
    return '\nCHANGES MADE BY THIS RUN: none (the change journal holds no change for it).\n';
  return [
    '',
    `CHANGES MADE BY THIS RUN (${changes.lines.length}, from the change journal)`,
    ...changes.lines,
    '',
  ].join('\n');
}
