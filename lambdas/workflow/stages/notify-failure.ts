/**
 * `Notify failure`: every failure path of the workflow ends here. Tell people, and free the lock
 * so the next scheduled run is not blocked by this one. Must not fail itself on a missing run.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { putEvents } from '../../aws/events.ts';
import type { NotifyFailureInput, NotifyFailureOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderFailureEmail } from '../email.ts';
import { runFailedEvent } from '../finding-events.ts';

/** The partition of a region (the failure path has no run identity to read it from). */
const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

export async function notifyFailure(
  deps: StageDeps,
  input: NotifyFailureInput,
  accountId: string,
): Promise<NotifyFailureOutput> {
  deps.log('Run failed', { runId: input.runId, error: input.error?.Error, cause: input.error?.Cause });
  const released = input.runId ? await deps.store.releaseLock(input.runId) : false;
  const { region } = deps.clients;
  const event = runFailedEvent(
    {
      runId: input.runId ?? 'not-started',
      accountId,
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
  if (!deps.topicArn) return { notified: false };
  const email = renderFailureEmail(accountId, deps.clients.region, input.runId, input.error);
  await deps.clients.sns.send(
    new PublishCommand({ TopicArn: deps.topicArn, Subject: email.subject, Message: email.body }),
  );
  deps.log('Failure notified', { runId: input.runId, lockReleased: released });
  return { notified: true };
}
