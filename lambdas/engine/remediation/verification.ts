/**
 * What a finding says when a fix was applied but SSM does not list the instance as Online yet.
 * The agent retries registration with a back-off that grows to 60 minutes, and picks up new
 * credentials (a profile, a policy, IMDS access) only on its next attempt: restarting the agent
 * or rebooting makes that attempt now.
 */
import type { FindingInstance } from '../report-model.ts';

const RESTART: Record<FindingInstance['platform'], string> = {
  linux: 'sudo systemctl restart amazon-ssm-agent (Ubuntu snap installs: sudo snap restart amazon-ssm-agent)',
  windows: 'Restart-Service AmazonSSMAgent (PowerShell as Administrator)',
  macos: 'sudo launchctl stop com.amazon.aws.ssm; sudo launchctl start com.amazon.aws.ssm',
  unknown: 'restart the amazon-ssm-agent service',
};

export function waitingForAgentStep(platform: FindingInstance['platform']): string {
  return (
    'The fix is applied but Systems Manager does not list the instance as Online yet: the agent ' +
    'retries with a back-off that grows to 60 minutes, so it may take up to an hour. To hurry it, ' +
    `restart the agent on the instance (${RESTART[platform]}) or reboot the instance.`
  );
}

export function unverifiableStep(reason: string): string {
  return `The fix is applied, but whether the instance came Online could not be read (${reason}); the next run checks again.`;
}
