/**
 * The VPC's interface endpoints for the SSM services and whether one can carry a service's
 * traffic: `available`, private DNS on, and the VPC's `enableDnsSupport` and
 * `enableDnsHostnames` on (without them the public hostname never resolves to the endpoint).
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { type EndpointPolicyVerdict, judgeEndpointPolicy } from './endpoint-policy.ts';
import { createEndpointCommand } from './fix-commands.ts';
import { instanceOf, unreadable } from './picture.ts';
import { isServiceName, SSM_SERVICES, type SsmService } from './services.ts';

export type EndpointCause = 'VPC_ENDPOINT_MISSING' | 'VPC_ENDPOINT_PRIVATE_DNS_DISABLED' | 'VPC_DNS_DISABLED';

export interface EndpointUse {
  endpoint: VpcEndpoint;
  id: string;
  status: 'usable' | 'unusable' | 'unknown';
  /** Why it cannot carry the traffic, when `unusable`. */
  cause?: EndpointCause;
  /** "interface endpoint vpce-1 for ssm has private DNS off". */
  detail: string;
  fix?: string;
  /** For a usable endpoint: whether its policy lets the agent's calls through. */
  policy?: EndpointPolicyVerdict;
}

/** The VPC's interface endpoints for ssm, ec2messages and ssmmessages. */
export function ssmInterfaceEndpoints(
  facts: InstanceFacts,
  endpoints: readonly VpcEndpoint[],
): VpcEndpoint[] {
  const vpcId = instanceOf(facts).vpcId;
  return endpoints.filter(
    (endpoint) =>
      (endpoint.VpcEndpointType ?? 'Interface').toLowerCase() === 'interface' &&
      (!vpcId || !endpoint.VpcId || endpoint.VpcId === vpcId) &&
      serviceOfEndpoint(endpoint, facts.region) !== undefined,
  );
}

export function serviceOfEndpoint(endpoint: VpcEndpoint, region: string): SsmService | undefined {
  return SSM_SERVICES.find((service) => isServiceName(endpoint.ServiceName, service, region));
}

const RANK = {
  usable: 0,
  unknown: 1,
  VPC_DNS_DISABLED: 2,
  VPC_ENDPOINT_PRIVATE_DNS_DISABLED: 3,
  VPC_ENDPOINT_MISSING: 4,
};

/** The service's endpoint closest to usable (a VPC may hold several without private DNS). */
export function endpointUseFor(
  facts: InstanceFacts,
  endpoints: readonly VpcEndpoint[],
  service: SsmService,
): EndpointUse | undefined {
  const uses = endpoints
    .filter((endpoint) => serviceOfEndpoint(endpoint, facts.region) === service)
    .map((endpoint) => judgeEndpoint(facts, endpoint, service));
  const rank = (use: EndpointUse) =>
    use.cause ? RANK[use.cause] : use.status === 'usable' ? RANK.usable : RANK.unknown;
  return uses.sort((a, b) => rank(a) - rank(b))[0];
}

function judgeEndpoint(facts: InstanceFacts, endpoint: VpcEndpoint, service: SsmService): EndpointUse {
  const id = endpoint.VpcEndpointId ?? 'unnamed';
  const vpcId = instanceOf(facts).vpcId ?? endpoint.VpcId ?? '<vpc-id>';
  const name = `interface endpoint ${id} for ${service}`;
  const unusable = (cause: EndpointCause, detail: string, fix: string): EndpointUse => ({
    endpoint,
    id,
    status: 'unusable',
    cause,
    detail,
    fix,
  });
  const state = endpoint.State ?? 'unknown';
  if (state.toLowerCase() !== 'available') {
    return unusable(
      'VPC_ENDPOINT_MISSING',
      `${name} is ${state}, not available`,
      `Make ${id} available, or delete it and create a new one: ${createEndpointCommand(facts, service, endpoint)}`,
    );
  }
  if (endpoint.PrivateDnsEnabled !== true) {
    return unusable(
      'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
      `${name} has private DNS off`,
      `Turn on private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${id} --private-dns-enabled`,
    );
  }
  const { dnsAttributes } = facts.network;
  if (!dnsAttributes.ok) {
    return {
      endpoint,
      id,
      status: 'unknown',
      detail: `${name}: ${unreadable('the VPC DNS attributes', dnsAttributes)}`,
    };
  }
  const off = (['enableDnsSupport', 'enableDnsHostnames'] as const).filter(
    // Only an attribute read and off counts: an unread one was judged not to matter.
    (key) => dnsAttributes.value[key] === false,
  );
  if (off.length > 0) {
    return unusable(
      'VPC_DNS_DISABLED',
      `VPC ${vpcId} has ${off.join(' and ')} off, so the private DNS of ${name} does not resolve`,
      off
        .map((key) => `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --${kebab(key)} '{"Value":true}'`)
        .join(' && '),
    );
  }
  const policy = judgeEndpointPolicy(endpoint, service, callerOf(facts));
  return { endpoint, id, status: 'usable', detail: `${name} (private DNS on)`, policy };
}

/** Who the agent calls as: the profile's role, else the DHMC role (the endpoint policy names either). */
export function callerOf(facts: InstanceFacts) {
  const profileRole =
    facts.profile?.ok && facts.profile.value.role?.ok ? facts.profile.value.role.value.arn : undefined;
  const dhmcRole = facts.dhmc.ok && facts.dhmc.value.role?.ok ? facts.dhmc.value.role.value?.arn : undefined;
  const roleArn = profileRole ?? dhmcRole;
  const instanceId = facts.candidate.instance.InstanceId ?? '';
  return {
    ...(roleArn ? { roleArn } : {}),
    accountId: facts.accountId,
    instanceArn: `arn:${facts.partition}:ec2:${facts.region}:${facts.accountId}:instance/${instanceId}`,
  };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
