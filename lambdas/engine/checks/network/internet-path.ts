/**
 * The internet path of one instance: its subnet's route table, the `0.0.0.0/0` route, and what
 * that route needs to work (a public IPv4 for an internet gateway, a working NAT gateway).
 * The same for all three services, so it is computed once per facts object.
 */
import type { InstanceFacts } from '../../facts.ts';
import { replacementTarget } from './fix-commands.ts';
import { followNatGateway } from './nat-path.ts';
import { instanceOf, routeTableOf, unreadable } from './picture.ts';
import { defaultRouteOf, publicDetours } from './routes.ts';

export type InternetCause =
  | 'ROUTE_MISSING'
  | 'ROUTE_BLACKHOLE'
  | 'PUBLIC_IP_MISSING'
  | 'NAT_GATEWAY_UNAVAILABLE';

export interface InternetPath {
  status: 'ok' | 'none' | 'unknown';
  /** Present when `status` is `none`. */
  cause?: InternetCause;
  /** A clause naming the resources: "route table rtb-1 of subnet subnet-1 has no 0.0.0.0/0 route". */
  detail: string;
  /** The exact change that gives the instance this path (when `none`), or what to verify (`unknown`). */
  fix?: string;
  /** Traffic leaves towards the services' public addresses (true even through a target we cannot follow). */
  towardsInternet: boolean;
  /** More specific routes to public destinations that may take the traffic elsewhere (to verify). */
  detours?: { destination: string; targetId: string }[];
  /** The subnet of the NAT gateway on the way, whose network ACL the traffic crosses too. */
  natSubnetId?: string;
  evidence: Record<string, unknown>;
}

const memo = new WeakMap<InstanceFacts, InternetPath>();

export function resolveInternetPath(facts: InstanceFacts): InternetPath {
  let path = memo.get(facts);
  if (!path) {
    path = computeInternetPath(facts);
    memo.set(facts, path);
  }
  return path;
}

function computeInternetPath(facts: InstanceFacts): InternetPath {
  const me = instanceOf(facts);
  const { routeTables } = facts.network;
  const unknown = (detail: string): InternetPath => ({
    status: 'unknown',
    detail,
    towardsInternet: false,
    evidence: {},
  });
  if (!me.subnetId) return unknown(`instance ${me.instanceId} has no subnet`);
  if (!routeTables.ok) return unknown(unreadable('route tables', routeTables) ?? '');
  const found = routeTableOf(routeTables.value, me.subnetId, me.vpcId);
  if (!found) {
    return unknown(
      `the network picture holds no route table of subnet ${me.subnetId} and no main route table`,
    );
  }
  const tableId = found.table.RouteTableId ?? 'unnamed';
  const where =
    found.association === 'explicit'
      ? `route table ${tableId} of subnet ${me.subnetId}`
      : `main route table ${tableId} (used by subnet ${me.subnetId})`;
  const route = defaultRouteOf(found.table);
  const detours = publicDetours(found.table);
  const evidence: Record<string, unknown> = {
    routeTableId: tableId,
    routeTableAssociation: found.association,
    defaultRoute: route.kind === 'none' ? null : route.targetId,
  };
  const none = (cause: InternetCause, detail: string, fix: string): InternetPath => ({
    status: 'none',
    cause,
    detail,
    fix,
    towardsInternet: false,
    evidence,
  });
  switch (route.kind) {
    case 'none':
      return none(
        'ROUTE_MISSING',
        `${where} has no 0.0.0.0/0 route`,
        `Add a default route: aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block 0.0.0.0/0 ${replacementTarget(facts)}`,
      );
    case 'blackhole':
      return none(
        'ROUTE_BLACKHOLE',
        `the 0.0.0.0/0 route of ${where} points at ${route.targetId}, which no longer exists (blackhole)`,
        `Point the default route at a live target: aws ec2 replace-route --route-table-id ${tableId} --destination-cidr-block 0.0.0.0/0 ${replacementTarget(facts, route.targetId)}`,
      );
    case 'internet-gateway':
      if (me.publicIp) {
        return {
          status: 'ok',
          detail: `internet gateway ${route.targetId} (${where}, public IPv4 ${me.publicIp})`,
          towardsInternet: true,
          ...(detours.length ? { detours } : {}),
          evidence: {
            ...evidence,
            publicIp: me.publicIp,
            ...(detours.length ? { moreSpecificRoutes: detours } : {}),
          },
        };
      }
      return none(
        'PUBLIC_IP_MISSING',
        `${where} sends 0.0.0.0/0 to internet gateway ${route.targetId} but instance ${me.instanceId} has no public IPv4 address`,
        `Give ${me.instanceId} a public IPv4 address (aws ec2 allocate-address, then aws ec2 associate-address --instance-id ${me.instanceId} --allocation-id <eipalloc-id>), or route subnet ${me.subnetId} through a NAT gateway instead`,
      );
    case 'nat-gateway': {
      const viaNat = followNatGateway(facts, route.targetId, where, tableId, evidence);
      if (viaNat.status !== 'ok' || !detours.length) return viaNat;
      return { ...viaNat, detours, evidence: { ...viaNat.evidence, moreSpecificRoutes: detours } };
    }
    case 'elsewhere':
      return {
        status: 'unknown',
        detail: `${where} sends 0.0.0.0/0 to ${route.targetType} ${route.targetId}, which ssm-doctor cannot follow from this VPC`,
        fix: `Verify that ${route.targetType} ${route.targetId} leads to internet egress (or to interface endpoints) that allows HTTPS (TCP 443) to the ssm, ec2messages and ssmmessages endpoints of ${facts.region}`,
        towardsInternet: true,
        evidence: { ...evidence, targetType: route.targetType },
      };
  }
}
