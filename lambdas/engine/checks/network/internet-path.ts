/**
 * The internet path of one instance: its subnet's route table, the routes that together cover
 * `0.0.0.0/0` (longest prefix match), and what each needs to work (a public IPv4 for an internet
 * gateway, a working NAT gateway). When those routes do not all lead to the same outcome, the
 * working one is the path and the others are named as detours (a warn: the services' addresses
 * may fall on either side). The same for all three services, so it is computed once per facts.
 */

import type { Route } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { replacementTarget } from './fix-commands.ts';
import { mixed } from './mixed-routes.ts';
import { followNatGateway } from './nat-path.ts';
import type { InternetCause, InternetPath } from './path-types.ts';
import { instanceOf, routeTableOf, unreadable } from './picture.ts';
import { type DefaultRoute, internetRoutesOf, publicDetours, routeKindOf, sameTarget } from './routes.ts';

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
  const { routes, gaps } = internetRoutesOf(found.table);
  const detours = publicDetours(found.table);
  const base = { routeTableId: tableId, routeTableAssociation: found.association };
  if (routes.length === 0) {
    return {
      status: 'none',
      cause: 'ROUTE_MISSING',
      detail: `${where} has no 0.0.0.0/0 route`,
      fix: `Add a default route: aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block 0.0.0.0/0 ${replacementTarget(facts)}`,
      towardsInternet: false,
      evidence: { ...base, defaultRoute: null },
    };
  }
  // One outcome per distinct target among the covering routes.
  const groups: Route[][] = [];
  for (const route of routes) {
    const group = groups.find((g) => g[0] && sameTarget(g[0], route));
    if (group) group.push(route);
    else groups.push([route]);
  }
  const outcomes = groups.map((group) => {
    const destinations = group.map((r) => r.DestinationCidrBlock ?? '');
    const evidence: Record<string, unknown> = {
      ...base,
      defaultRoute: routeKindOf(group[0] as Route).targetId,
      ...(destinations.join() === '0.0.0.0/0' ? {} : { internetRoutes: destinations }),
    };
    return {
      group,
      outcome: viaRoute(
        facts,
        routeKindOf(group[0] as Route),
        destinations,
        where,
        tableId,
        me,
        detours,
        evidence,
      ),
    };
  });
  const only = outcomes[0];
  if (outcomes.length === 1 && gaps.length === 0 && only) return only.outcome;
  return mixed(outcomes, gaps, where);
}

function viaRoute(
  facts: InstanceFacts,
  route: Exclude<DefaultRoute, { kind: 'none' }>,
  destinations: string[],
  where: string,
  tableId: string,
  me: ReturnType<typeof instanceOf>,
  detours: { destination: string; targetId: string }[],
  evidence: Record<string, unknown>,
): InternetPath {
  const dest = destinations.join(' + ');
  const none = (cause: InternetCause, detail: string, fix: string): InternetPath => ({
    status: 'none',
    cause,
    detail,
    fix,
    towardsInternet: false,
    evidence,
  });
  switch (route.kind) {
    case 'blackhole':
      return none(
        'ROUTE_BLACKHOLE',
        `the ${dest} route of ${where} points at ${route.targetId}, which no longer exists (blackhole)`,
        destinations
          .map(
            (cidr) =>
              `Point the ${cidr === '0.0.0.0/0' ? 'default' : cidr} route at a live target: aws ec2 replace-route --route-table-id ${tableId} --destination-cidr-block ${cidr} ${replacementTarget(facts, route.targetId)}`,
          )
          .join('; '),
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
        `${where} sends ${dest} to internet gateway ${route.targetId} but instance ${me.instanceId} has no public IPv4 address`,
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
        detail: `${where} sends ${dest} to ${route.targetType} ${route.targetId}, which ssm-doctor cannot follow from this VPC`,
        fix: `Verify that ${route.targetType} ${route.targetId} leads to internet egress (or to interface endpoints) that allows HTTPS (TCP 443) to the ssm, ec2messages and ssmmessages endpoints of ${facts.region}`,
        towardsInternet: true,
        evidence: { ...evidence, targetType: route.targetType },
      };
  }
}
