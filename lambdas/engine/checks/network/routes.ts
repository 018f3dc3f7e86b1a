/**
 * What a route table does with traffic to the internet. VPC routing is longest prefix match and
 * the services' public addresses are not known here, so the internet route is the set of routes
 * that together cover `0.0.0.0/0` (one `0.0.0.0/0` route, or a split such as `0.0.0.0/1` +
 * `128.0.0.0/1`). More specific routes towards public addresses are named (`publicDetours`),
 * because they may carry the services' traffic somewhere else. IPv4 only.
 */
import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import { formatIpv4, isNonPublicCidr, parseCidr } from './ipv4.ts';

export type DefaultRoute =
  | { kind: 'none' }
  | { kind: 'blackhole'; targetId: string }
  | { kind: 'internet-gateway'; targetId: string }
  | { kind: 'nat-gateway'; targetId: string }
  /** A target whose far side this VPC's picture does not show. */
  | { kind: 'elsewhere'; targetId: string; targetType: string };

const ELSEWHERE: ReadonlyArray<[keyof Route, string]> = [
  ['TransitGatewayId', 'transit gateway'],
  ['VpcPeeringConnectionId', 'VPC peering connection'],
  ['InstanceId', 'instance'],
  ['NetworkInterfaceId', 'network interface'],
  ['LocalGatewayId', 'local gateway'],
  ['CarrierGatewayId', 'carrier gateway'],
  ['CoreNetworkArn', 'Cloud WAN core network'],
];

// Covering routes are looked for down to /8: a broader split than that is what people write
// (0/1 + 128/1, four /2s…); routes narrower than /8 are detours, not the internet route.
const COVER_LIMIT = 8;

/** Route destinations normalised (`0.0.0.0/0`), without the VPC's own `local` routes. */
function routesByCidr(table: RouteTable): Map<string, Route> {
  const byCidr = new Map<string, Route>();
  for (const route of table.Routes ?? []) {
    const range = route.DestinationCidrBlock ? parseCidr(route.DestinationCidrBlock) : undefined;
    if (!range || route.GatewayId === 'local') continue;
    byCidr.set(`${formatIpv4(range.base)}/${range.prefix}`, route);
  }
  return byCidr;
}

export interface InternetRoutes {
  /** The routes that together carry traffic to public addresses, in address order. */
  routes: Route[];
  /** Public blocks no route covers (traffic there has no path), e.g. `64.0.0.0/2`. */
  gaps: string[];
}

const covers = new WeakMap<RouteTable, InternetRoutes>();

/** The set of routes that together cover `0.0.0.0/0`, by longest prefix match (memoised per table). */
export function internetRoutesOf(table: RouteTable): InternetRoutes {
  let found = covers.get(table);
  if (!found) {
    found = computeInternetRoutes(table);
    covers.set(table, found);
  }
  return found;
}

function computeInternetRoutes(table: RouteTable): InternetRoutes {
  const byCidr = routesByCidr(table);
  const found: InternetRoutes = { routes: [], gaps: [] };
  // Returns the public blocks of this one that no route covers; `empty`: no route in it at all,
  // so an uncovered block is reported whole (`128.0.0.0/1`), not as 64 /8s.
  const cover = (base: number, prefix: number): { gaps: string[]; empty: boolean } => {
    const cidr = `${formatIpv4(base)}/${prefix}`;
    const route = byCidr.get(cidr);
    if (route) {
      found.routes.push(route);
      return { gaps: [], empty: false };
    }
    if (prefix >= COVER_LIMIT) return { gaps: isNonPublicCidr(cidr) ? [] : [cidr], empty: true };
    const half = 2 ** (31 - prefix);
    const low = cover(base, prefix + 1);
    const high = cover(base + half, prefix + 1);
    const gaps = [...low.gaps, ...high.gaps];
    if (low.empty && high.empty) return { gaps: gaps.length ? [cidr] : [], empty: true };
    return { gaps, empty: false };
  };
  found.gaps = cover(0, 0).gaps;
  return found;
}

/** What one route does with the traffic it carries. */
export function routeKindOf(route: Route): Exclude<DefaultRoute, { kind: 'none' }> {
  const targetId = targetIdOf(route);
  if (route.State === 'blackhole') return { kind: 'blackhole', targetId };
  if (route.GatewayId?.startsWith('igw-')) return { kind: 'internet-gateway', targetId: route.GatewayId };
  if (route.NatGatewayId) return { kind: 'nat-gateway', targetId: route.NatGatewayId };
  if (route.GatewayId?.startsWith('vgw-')) {
    return { kind: 'elsewhere', targetId: route.GatewayId, targetType: 'virtual private gateway' };
  }
  for (const [key, targetType] of ELSEWHERE) {
    const value = route[key];
    if (typeof value === 'string' && value) return { kind: 'elsewhere', targetId: value, targetType };
  }
  return { kind: 'elsewhere', targetId, targetType: 'target' };
}

/**
 * For a NAT gateway's own subnet: the first of the routes covering `0.0.0.0/0` (a split there is
 * rare; the instance's own table is judged route by route in `internet-path.ts`).
 */
export function defaultRouteOf(table: RouteTable): DefaultRoute {
  const first = internetRoutesOf(table).routes[0];
  return first ? routeKindOf(first) : { kind: 'none' };
}

export const sameTarget = (a: Route, b: Route) =>
  targetIdOf(a) === targetIdOf(b) && (a.State === 'blackhole') === (b.State === 'blackhole');

export function targetIdOf(route: Route): string {
  return (
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn ??
    'an unnamed target'
  );
}

/**
 * Active routes, other than the default and `local`, whose destination may hold public addresses
 * (a public CIDR, or a prefix list not served by a gateway endpoint) and that lead somewhere else
 * than the default route does: traffic to the SSM endpoints could take them instead.
 */
export function publicDetours(table: RouteTable): { destination: string; targetId: string }[] {
  const covering = internetRoutesOf(table).routes;
  const defaultIds = new Set(covering.map(targetIdOf));
  return (table.Routes ?? []).flatMap((route) => {
    if (route.State === 'blackhole' || route.GatewayId === 'local' || covering.includes(route)) return [];
    const targetId = targetIdOf(route);
    if (defaultIds.has(targetId)) return [];
    const cidr = route.DestinationCidrBlock;
    if (cidr) return isNonPublicCidr(cidr) ? [] : [{ destination: cidr, targetId }];
    const prefixList = route.DestinationPrefixListId;
    // S3 and DynamoDB gateway endpoints add prefix-list routes to `vpce-` targets: not the SSM services.
    return prefixList && !targetId.startsWith('vpce-') ? [{ destination: prefixList, targetId }] : [];
  });
}
