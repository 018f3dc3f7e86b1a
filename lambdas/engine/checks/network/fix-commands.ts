/** Pieces of the exact commands next steps suggest, with real ids from the VPC when there are some. */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { instanceOf } from './picture.ts';
import { endpointServiceName, type SsmService } from './services.ts';

/** A working public NAT gateway of the VPC, other than `exceptId`. */
export function availablePublicNat(facts: InstanceFacts, exceptId?: string): string | undefined {
  const { natGateways } = facts.network;
  const vpcId = instanceOf(facts).vpcId;
  if (!natGateways.ok) return undefined;
  return natGateways.value.find(
    (nat) =>
      nat.State === 'available' &&
      nat.ConnectivityType !== 'private' &&
      nat.NatGatewayId !== exceptId &&
      (!vpcId || !nat.VpcId || nat.VpcId === vpcId),
  )?.NatGatewayId;
}

/** The internet gateway attached to the instance's VPC. */
export function attachedInternetGateway(facts: InstanceFacts): string | undefined {
  const { internetGateways } = facts.network;
  const vpcId = instanceOf(facts).vpcId;
  if (!internetGateways.ok) return undefined;
  // DescribeInternetGateways reports a live attachment as `available`, though the SDK type says `attached`.
  const live = (state: string | undefined) => state === 'available' || state === 'attached';
  return internetGateways.value.find((igw) =>
    igw.Attachments?.some((a) => (!vpcId || a.VpcId === vpcId) && live(a.State)),
  )?.InternetGatewayId;
}

/**
 * The `create-route` / `replace-route` target flag: a NAT gateway for a private instance, the
 * internet gateway for one with a public IPv4.
 */
export function replacementTarget(facts: InstanceFacts, exceptId?: string): string {
  const me = instanceOf(facts);
  const igw = attachedInternetGateway(facts);
  if (me.publicIp && igw && igw !== exceptId) return `--gateway-id ${igw}`;
  const nat = availablePublicNat(facts, exceptId);
  return nat ? `--nat-gateway-id ${nat}` : '--nat-gateway-id <an available NAT gateway in a public subnet>';
}

/** The create command, reusing the subnets and groups of `template` (another SSM endpoint). */
export function createEndpointCommand(
  facts: InstanceFacts,
  service: SsmService,
  template?: VpcEndpoint,
): string {
  const me = instanceOf(facts);
  const subnets = template?.SubnetIds?.length
    ? template.SubnetIds.join(' ')
    : (me.subnetId ?? '<subnet-ids>');
  const groups = template?.Groups?.flatMap((group) => (group.GroupId ? [group.GroupId] : [])) ?? [];
  return [
    `aws ec2 create-vpc-endpoint --vpc-id ${me.vpcId ?? '<vpc-id>'} --vpc-endpoint-type Interface`,
    `--service-name ${endpointServiceName(service, facts.region)} --subnet-ids ${subnets}`,
    `--security-group-ids ${groups.length ? groups.join(' ') : '<a security group allowing TCP 443 from the instance>'}`,
    '--private-dns-enabled',
  ].join(' ');
}
