/**
 * Following a default route into a NAT gateway: it must be `available`, and its own subnet (or,
 * for a regional NAT gateway, its own route table) must carry the traffic on. A public NAT needs
 * a route to an internet gateway. A private NAT has no public address, so an internet gateway
 * does not help; a route on to a transit gateway or virtual private gateway is the usual
 * centralized-egress design, which cannot be followed from this account (unknown).
 */
import type { NatGateway } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { attachedInternetGateway, availablePublicNat } from './fix-commands.ts';
import type { InternetPath } from './path-types.ts';
import { instanceOf, routeTableOf, unreadable } from './picture.ts';
import { defaultRouteOf } from './routes.ts';

export function followNatGateway(
  facts: InstanceFacts,
  natId: string,
  where: string,
  tableId: string,
  routeEvidence: Record<string, unknown>,
): InternetPath {
  const { natGateways, routeTables } = facts.network;
  const evidence: Record<string, unknown> = { ...routeEvidence, natGatewayId: natId };
  const unknown = (detail: string, fix?: string, towardsInternet = false): InternetPath => ({
    status: 'unknown',
    detail,
    ...(fix ? { fix } : {}),
    towardsInternet,
    evidence,
  });
  const other = availablePublicNat(facts, natId);
  const repoint = `Point 0.0.0.0/0 at a working NAT gateway: aws ec2 replace-route --route-table-id ${tableId} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${other ?? '<an available NAT gateway in a public subnet>'}`;
  const unavailable = (detail: string, fix: string): InternetPath => ({
    status: 'none',
    cause: 'NAT_GATEWAY_UNAVAILABLE',
    detail,
    fix,
    towardsInternet: false,
    evidence,
  });

  if (!natGateways.ok) return unknown(unreadable('NAT gateways', natGateways) ?? '');
  const nat = natGateways.value.find((candidate) => candidate.NatGatewayId === natId);
  if (!nat)
    return unknown(
      `${where} sends 0.0.0.0/0 to NAT gateway ${natId}, which the network picture does not hold`,
    );
  evidence.natState = nat.State;
  if (nat.State !== 'available') {
    const why = nat.FailureMessage ? ` (${nat.FailureMessage})` : '';
    return unavailable(
      `NAT gateway ${natId} used by ${where} is ${nat.State ?? 'in an unknown state'}${why}`,
      repoint,
    );
  }
  const isPrivate = nat.ConnectivityType === 'private';
  if (!routeTables.ok) return unknown(unreadable('route tables', routeTables) ?? '');
  const natTable = natRouteTable(facts, nat);
  const natPlace = nat.SubnetId ? `subnet ${nat.SubnetId}` : 'its route table';
  if (!natTable)
    return unknown(`the network picture holds no route table for NAT gateway ${natId} (${natPlace})`);
  const natTableId = natTable.RouteTableId ?? 'unnamed';
  Object.assign(evidence, { natSubnetId: nat.SubnetId, natRouteTableId: natTableId });
  const natRoute = defaultRouteOf(natTable);
  const via = `NAT gateway ${natId} (${where})`;
  if (isPrivate && (natRoute.kind === 'internet-gateway' || natRoute.kind === 'none')) {
    const onward =
      natRoute.kind === 'none'
        ? 'has no 0.0.0.0/0 route'
        : `sends 0.0.0.0/0 to internet gateway ${natRoute.targetId}`;
    return unavailable(
      `NAT gateway ${natId} used by ${where} is a private NAT gateway (no public address) and its ${natPlace} route table ${natTableId} ${onward}, so it cannot reach the internet`,
      repoint,
    );
  }
  if (natRoute.kind === 'internet-gateway') {
    return {
      status: 'ok',
      detail: via,
      towardsInternet: true,
      evidence,
      ...(nat.SubnetId ? { natSubnetId: nat.SubnetId } : {}),
    };
  }
  if (natRoute.kind === 'elsewhere' || natRoute.kind === 'nat-gateway') {
    const type = natRoute.kind === 'nat-gateway' ? 'NAT gateway' : natRoute.targetType;
    return unknown(
      `${isPrivate ? 'private ' : ''}NAT gateway ${natId} used by ${where} sits in ${natPlace}, whose route table ${natTableId} sends 0.0.0.0/0 to ${type} ${natRoute.targetId}, which ssm-doctor cannot follow`,
      `Verify that ${type} ${natRoute.targetId} leads to internet egress that allows HTTPS (TCP 443) to the ssm, ec2messages and ssmmessages endpoints of ${facts.region}`,
      true,
    );
  }
  const igw =
    attachedInternetGateway(facts) ?? `<the internet gateway of ${instanceOf(facts).vpcId ?? 'the VPC'}>`;
  const verb = natRoute.kind === 'blackhole' ? 'replace-route' : 'create-route';
  const problem =
    natRoute.kind === 'blackhole'
      ? `a blackhole 0.0.0.0/0 route (to ${natRoute.targetId})`
      : 'no 0.0.0.0/0 route to an internet gateway';
  return unavailable(
    `NAT gateway ${natId} used by ${where} sits in ${natPlace}, whose route table ${natTableId} has ${problem}`,
    `Route the NAT gateway's subnet to the internet: aws ec2 ${verb} --route-table-id ${natTableId} --destination-cidr-block 0.0.0.0/0 --gateway-id ${igw}`,
  );
}

function natRouteTable(facts: InstanceFacts, nat: NatGateway) {
  const { routeTables } = facts.network;
  if (!routeTables.ok) return undefined;
  if (nat.SubnetId) return routeTableOf(routeTables.value, nat.SubnetId, nat.VpcId)?.table;
  // A regional NAT gateway lives in no subnet; it names its own route table.
  return routeTables.value.find((table) => table.RouteTableId === nat.RouteTableId);
}
