/**
 * `agent.registration`: what Systems Manager last heard from the agent. Facts carry no clock, so
 * the last ping is reported as a timestamp, never as "hours ago".
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import { platformOf } from '../../platform.ts';

const ID = 'agent.registration';

/** World files give strings, the SDK gives Dates: report both as ISO-8601. */
function isoOf(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export const agentRegistrationCheck: Check = {
  id: ID,
  title: 'What Systems Manager last heard from the agent',
  reads: ['registrations'],
  evaluate(facts): CheckResult {
    const { instance, ssmStatus, information } = facts.candidate;
    const instanceId = instance.InstanceId ?? 'the instance';
    if (ssmStatus === 'NotRegistered') {
      return result.skip(ID, `${instanceId} has never registered with Systems Manager.`, {
        ssmStatus,
        registration: 'never registered',
      });
    }
    const lastPing = isoOf(information?.LastPingDateTime);
    const evidence = {
      ssmStatus,
      pingStatus: information?.PingStatus ?? 'ConnectionLost',
      agentVersion: information?.AgentVersion ?? null,
      isLatestVersion: information?.IsLatestVersion ?? null,
      lastPingDateTime: lastPing,
      platform: information?.PlatformName
        ? `${information.PlatformName} ${information.PlatformVersion ?? ''}`.trim()
        : platformOf(facts.candidate),
    };
    const agent = evidence.agentVersion ? `agent ${evidence.agentVersion}` : 'the agent';
    return result.warn(
      ID,
      `${instanceId} lost its connection to Systems Manager; ${agent} last pinged at ${lastPing ?? 'an unknown time'}.`,
      evidence,
      [
        platformOf(facts.candidate) === 'windows'
          ? 'On the instance, check the AmazonSSMAgent service (Get-Service AmazonSSMAgent) and the logs in %PROGRAMDATA%\\Amazon\\SSM\\Logs.'
          : 'On the instance, check the agent (sudo systemctl status amazon-ssm-agent) and the logs in /var/log/amazon/ssm.',
      ],
    );
  },
};
