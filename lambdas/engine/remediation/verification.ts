/**
 * What a finding says when a fix was applied but SSM does not list the instance as Online yet.
 * The agent's health ping retries with a back-off that grows to 60 minutes; after an
 * `AccessDenied` (a role without the permissions, no credentials at all) its credential refresher
 * may sleep for about a day before it asks again. It picks up new credentials (a profile, a
 * policy, IMDS access) only on its next attempt: restarting the agent or rebooting makes that
 * attempt now.
 */
import type { FindingInstance, FixId } from '../report-model.ts';

const HEALTH_BACKOFF_MS = 60 * 60_000;
const CREDENTIAL_BACKOFF_MS = 24 * 60 * 60_000;
/** Fixes that change the credentials the agent was denied with, so its refresher may be asleep. */
const CREDENTIAL_FIXES: ReadonlySet<FixId> = new Set(['attach-instance-profile', 'attach-core-policy']);

export interface AppliedFixes {
  fixes: readonly FixId[];
  /** When the (last) fix was applied, ISO 8601. */
  appliedAt?: string;
}

const later = (at: string | undefined, ms: number) => {
  const time = at ? new Date(at).getTime() : Number.NaN;
  return Number.isFinite(time) ? new Date(time + ms).toISOString() : undefined;
};

const RESTART: Record<FindingInstance['platform'], string> = {
  linux: 'sudo systemctl restart amazon-ssm-agent (Ubuntu snap installs: sudo snap restart amazon-ssm-agent)',
  windows: 'Restart-Service AmazonSSMAgent (PowerShell as Administrator)',
  macos: 'sudo launchctl stop com.amazon.aws.ssm; sudo launchctl start com.amazon.aws.ssm',
  unknown: 'restart the amazon-ssm-agent service',
};

export function waitingForAgentStep(
  platform: FindingInstance['platform'],
  applied: AppliedFixes = { fixes: [] },
): string {
  const byHour = later(applied.appliedAt, HEALTH_BACKOFF_MS);
  const byDay = later(applied.appliedAt, CREDENTIAL_BACKOFF_MS);
  const credentials = applied.fixes.some((fix) => CREDENTIAL_FIXES.has(fix));
  const latest = credentials
    ? ` After the AccessDenied it saw, its credential refresher may sleep for about a day, so it should be back${byDay ? ` by ${byDay}` : ' within a day'} at the latest.`
    : byHour
      ? ` It should be back by ${byHour} at the latest.`
      : '';
  return (
    'The fix is applied but Systems Manager does not list the instance as Online yet: the agent ' +
    `retries its health ping with a back-off that grows to 60 minutes, so it may take up to an hour${byHour && credentials ? ` (${byHour})` : ''}.${latest} ` +
    `To make it retry now, restart the agent on the instance (${RESTART[platform]}) or reboot the instance.`
  );
}

export function unverifiableStep(reason: string): string {
  return `The fix is applied, but whether the instance came Online could not be read (${reason}); the next run checks again.`;
}
