/**
 * IPv6-only subnets (`Ipv6Native`): the instance has no IPv4 address, so its paths are judged on
 * IPv6, never with IPv4 rules that cannot apply. An interface endpoint must serve IPv6 (its
 * `IpAddressType` dualstack/ipv6); otherwise the route covering `::/0` must reach an internet
 * gateway (with an IPv6 address on the instance) or an egress-only internet gateway. The agent
 * must be ≥ 3.3.3270.0 with dual-stack endpoints configured, which only the instance knows (a
 * warning on every working path). Security-group and ACL IPv6 rules are not evaluated yet: the
 * path carries no destination, so those checks say `unknown` rather than judge IPv4 rules.
 */
import type { InstanceFacts } from '../../facts.ts';
import type { EndpointUse } from './endpoints.ts';
import type { ServicePath } from './path-types.ts';
import { instanceOf, routeTableOf } from './picture.ts';
import type { SsmService } from './services.ts';

export const DUAL_STACK_NOTE =
  'the agent must be 3.3.3270.0 or later with dual-stack endpoints configured ("UseDualStackEndpoint": true in amazon-ssm-agent.json), which is not visible from outside';

export function isIpv6Only(facts: InstanceFacts): boolean {
  const { subnets } = facts.network;
  const subnetId = instanceOf(facts).subnetId;
  return subnets.ok && subnets.value.some((s) => s.SubnetId === subnetId && s.Ipv6Native === true);
}

const servesIpv6 = (use: EndpointUse) =>
  ['dualstack', 'ipv6'].includes(String(use.endpoint.IpAddressType ?? ''));

export function resolveIpv6Path(
  facts: InstanceFacts,
  service: SsmService,
  hostname: string,
  use: EndpointUse | undefined,
): ServicePath {
  const base = { service, hostname, nextSteps: [] as string[] };
  const evidence = { ipv6Only: true, hostname };
  if (use?.status === 'usable' && servesIpv6(use)) {
    return {
      ...base,
      path: 'endpoint',
      summary: `${hostname} is reached over IPv6 through ${use.detail}.`,
      warning: DUAL_STACK_NOTE,
      endpoint: use.endpoint,
      evidence: { ...evidence, path: 'endpoint', endpointId: use.id },
    };
  }
  const me = instanceOf(facts);
  const tables = facts.network.routeTables;
  const table =
    tables.ok && me.subnetId ? routeTableOf(tables.value, me.subnetId, me.vpcId)?.table : undefined;
  if (!table) {
    return {
      ...base,
      path: 'unknown',
      summary: `The route table of IPv6-only subnet ${me.subnetId} could not be read.`,
      evidence,
    };
  }
  const tableId = table.RouteTableId ?? 'unnamed';
  const route = table.Routes?.find((r) => r.DestinationIpv6CidrBlock === '::/0');
  const endpointNote = use ? ` (${use.detail}${servesIpv6(use) ? '' : ', which does not serve IPv6'})` : '';
  if (!route) {
    return {
      ...base,
      path: 'none',
      cause: use && !servesIpv6(use) ? 'VPC_ENDPOINT_MISSING' : 'ROUTE_MISSING',
      summary: `${me.subnetId} is IPv6-only and route table ${tableId} has no route covering ::/0${endpointNote}.`,
      nextSteps: [
        `Add an IPv6 default route (aws ec2 create-route --route-table-id ${tableId} --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id <eigw-id>), or a dual-stack interface endpoint for ${service}`,
      ],
      evidence: { ...evidence, path: 'none', routeTableId: tableId },
    };
  }
  const target = route.EgressOnlyInternetGatewayId ?? route.GatewayId ?? route.TransitGatewayId ?? 'a target';
  if (route.State === 'blackhole') {
    return {
      ...base,
      path: 'none',
      cause: 'ROUTE_BLACKHOLE',
      summary: `The ::/0 route of route table ${tableId} points at ${target}, which no longer exists (blackhole).`,
      evidence: { ...evidence, path: 'none', routeTableId: tableId },
    };
  }
  const ipv6 =
    facts.candidate.instance.Ipv6Address ??
    facts.candidate.instance.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0]?.Ipv6Address;
  if (route.GatewayId?.startsWith('igw-') && !ipv6) {
    return {
      ...base,
      path: 'none',
      cause: 'PUBLIC_IP_MISSING',
      summary: `Route table ${tableId} sends ::/0 to internet gateway ${target} but ${me.instanceId} has no IPv6 address.`,
      nextSteps: [
        `Assign an IPv6 address: aws ec2 assign-ipv6-addresses --network-interface-id <eni-id> --ipv6-address-count 1`,
      ],
      evidence: { ...evidence, path: 'none', routeTableId: tableId },
    };
  }
  if (route.GatewayId?.startsWith('igw-') || route.EgressOnlyInternetGatewayId) {
    return {
      ...base,
      path: 'internet',
      summary: `${hostname} is reached over IPv6 through ${target} (route table ${tableId}).`,
      warning: DUAL_STACK_NOTE,
      evidence: {
        ...evidence,
        path: 'internet',
        routeTableId: tableId,
        ...(ipv6 ? { ipv6Address: ipv6 } : {}),
      },
    };
  }
  return {
    ...base,
    path: 'unknown',
    summary: `Route table ${tableId} sends ::/0 to ${target}, which ssm-doctor cannot follow from this VPC.`,
    nextSteps: [`Verify that ${target} carries IPv6 HTTPS (TCP 443) to ${hostname}`],
    evidence: { ...evidence, path: 'unknown', routeTableId: tableId },
  };
}
