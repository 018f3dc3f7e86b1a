/** The three regional services the SSM Agent must reach over HTTPS, and their names. */

export const SSM_SERVICES = ['ssm', 'ec2messages', 'ssmmessages'] as const;
export type SsmService = (typeof SSM_SERVICES)[number];

/**
 * The agent registers and sends its health ping (`ssm:UpdateInstanceInformation`) through `ssm`
 * alone; ec2messages/ssmmessages serve Run Command and Session Manager once it is registered.
 */
export const blocksRegistration = (service: SsmService): boolean => service === 'ssm';

const DNS_SUFFIX: Record<string, string> = {
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
};

/** `ssm.eu-west-1.amazonaws.com`, with the partition's own DNS suffix. */
export function serviceHostname(service: SsmService, region: string, partition: string): string {
  return `${service}.${region}.${DNS_SUFFIX[partition] ?? 'amazonaws.com'}`;
}

/** The endpoint service name to create: `com.amazonaws.<region>.<service>`. */
export function endpointServiceName(service: SsmService, region: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/** Whether an endpoint's `ServiceName` is this service (China regions may prefix `cn.`). */
export function isServiceName(serviceName: string | undefined, service: SsmService, region: string): boolean {
  const wanted = endpointServiceName(service, region);
  return serviceName === wanted || serviceName === `cn.${wanted}`;
}
