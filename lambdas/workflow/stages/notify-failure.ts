/**
 * `Notify failure`: every failure path of the workflow ends here. Tell people, and free the lock
 * so the next scheduled run is not blocked by this one. Must not fail itself on a missing run.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { NotifyFailureInput, NotifyFailureOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderFailureEmail } from '../email.ts';

export async function notifyFailure(
  deps: StageDeps<'notify-failure'>,
  input: NotifyFailureInput,
): Promise<NotifyFailureOutput> {
  deps.log('Run failed', { runId: input.runId, error: input.error?.Error, cause: input.error?.Cause });
  const released = input.runId ? await deps.store.releaseLock(input.runId) : false;
  const email = renderFailureEmail(deps.env.ACCOUNT_ID, deps.clients.region, input.runId, input.error);
  await deps.clients.sns.send(
    new PublishCommand({ TopicArn: deps.env.TOPIC_ARN, Subject: email.subject, Message: email.body }),
  );
  deps.log('Failure notified', { runId: input.runId, lockReleased: released });
  return { notified: true };
}
