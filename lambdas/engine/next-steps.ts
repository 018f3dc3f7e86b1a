/**
 * What a person does next, from AWS's troubleshooting guide: reach the three endpoints from the
 * instance, look at the agent and its logs, and the console pages for the instance.
 */
import type { RootCause } from './causes.ts';
import type { Platform } from './platform.ts';

export const SSM_ENDPOINT_SERVICES = ['ssm', 'ec2messages', 'ssmmessages'] as const;

const CONSOLE_HOSTS: Record<string, (region: string) => string> = {
  aws: (region) => `https://${region}.console.aws.amazon.com`,
  'aws-cn': () => 'https://console.amazonaws.cn',
  'aws-us-gov': () => 'https://console.amazonaws-us-gov.com',
};

export function consoleLinks(partition: string, region: string, instanceId: string): string[] {
  const host = (CONSOLE_HOSTS[partition] ?? CONSOLE_HOSTS.aws)?.(region) ?? '';
  return [
    `EC2 console: ${host}/ec2/home?region=${region}#InstanceDetails:instanceId=${instanceId}`,
    `Fleet Manager: ${host}/systems-manager/fleet-manager/managed-nodes?region=${region}`,
  ];
}

function dnsSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** On-instance commands: reach the endpoints, then the agent's state and logs. */
export function onInstanceSteps(platform: Platform, partition: string, region: string): string[] {
  const hosts = SSM_ENDPOINT_SERVICES.map((service) => `${service}.${region}.${dnsSuffix(partition)}`);
  if (platform === 'windows') {
    return [
      `From the instance (PowerShell), test each endpoint: ${hosts.map((h) => `Test-NetConnection ${h} -port 443`).join('; ')}`,
      'Check the agent: Get-Service AmazonSSMAgent; Restart-Service AmazonSSMAgent',
      'Read the agent logs in %PROGRAMDATA%\\Amazon\\SSM\\Logs (amazon-ssm-agent.log, errors.log)',
    ];
  }
  return [
    `From the instance, test each endpoint: ${hosts.map((h) => `nc -vz ${h} 443`).join('; ')}`,
    'Check the agent: sudo systemctl status amazon-ssm-agent (Ubuntu snap: sudo snap services amazon-ssm-agent); run sudo ssm-cli get-diagnostics --output table',
    'Read the agent logs in /var/log/amazon/ssm (amazon-ssm-agent.log, errors.log)',
  ];
}

/** When nothing blocking was found from outside, what to look at on the instance itself. */
const UNKNOWN_STEPS = [
  'Nothing blocking was found from outside the instance: confirm the agent is installed and running, and that any HTTP(S) proxy lets the endpoints through with 169.254.169.254 in no_proxy.',
];

/** `checkedEverything`: false when a check could not decide; then "nothing blocking" is not said. */
export function genericNextSteps(
  rootCause: RootCause,
  platform: Platform,
  partition: string,
  region: string,
  instanceId: string,
  checkedEverything = true,
): string[] {
  return [
    ...(rootCause === 'UNKNOWN' && checkedEverything ? UNKNOWN_STEPS : []),
    ...onInstanceSteps(platform, partition, region),
    ...consoleLinks(partition, region, instanceId),
  ];
}
