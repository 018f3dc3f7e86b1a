/**
 * The centralized-endpoint pattern: a private hosted zone associated with the instance's VPC, or
 * a Resolver rule associated with it, answers a service name, so the agent's traffic goes wherever
 * that answer points (usually an interface endpoint in a hub VPC reached through a transit
 * gateway or peering). Route 53 Resolver picks the most specific domain among the VPC's zones and
 * rules (a rule wins a tie); a SYSTEM rule hands the name back to the Resolver's own answers.
 * What this account can see is followed (the endpoint, its policy, the route towards it; its
 * security groups and ACLs are judged by the checks that read `endpointNetwork`); what it cannot
 * (a FORWARD rule, a zone or endpoint of another account) is a warning saying what to verify.
 */
import type { ResolverRule } from '../../../aws/resolver-client.ts';
import type { InstanceFacts, NetworkPicture, PrivateZone } from '../../facts.ts';
import { judgeEndpointPolicy } from './endpoint-policy.ts';
import { callerOf } from './endpoints.ts';
import { cidrContains, parseCidr } from './ipv4.ts';
import type { ServicePath } from './path-types.ts';
import { instanceOf, routeTableOf, unreadable } from './picture.ts';
import { routeKindOf, targetIdOf } from './routes.ts';
import type { SsmService } from './services.ts';

const fqdn = (name: string) => `${name.toLowerCase().replace(/\.$/, '')}.`;
const covers = (domain: string, name: string) => {
  const d = fqdn(domain);
  const n = fqdn(name);
  return d === '.' || n === d || n.endsWith(`.${d}`);
};
const depth = (domain: string) => fqdn(domain).split('.').length;
const ENDPOINT_ID = /^(?:\*\.)?(vpce-[0-9a-f]{8,17})-[0-9a-z]+[.-]/i;

type Answerer = { kind: 'zone'; zone: PrivateZone } | { kind: 'rule'; rule: ResolverRule };

/** The zone or rule that answers `hostname` in the instance's VPC, if any. */
function answererOf(facts: InstanceFacts, hostname: string): Answerer | undefined {
  const dns = facts.network.privateDns;
  if (!dns?.ok) return undefined;
  const candidates: (Answerer & { domain: string })[] = [
    ...dns.value.zones
      .filter((zone) => covers(zone.name, hostname))
      .map((zone) => ({ kind: 'zone' as const, zone, domain: zone.name })),
    ...dns.value.rules
      .filter((rule) => rule.DomainName && covers(rule.DomainName, hostname))
      .map((rule) => ({ kind: 'rule' as const, rule, domain: rule.DomainName ?? '' })),
  ];
  candidates.sort((a, b) => depth(b.domain) - depth(a.domain) || (a.kind === 'rule' ? -1 : 1));
  return candidates[0];
}

/**
 * The service's path when a private answer decides it; `undefined` when none does (no zone or
 * rule for the name, a SYSTEM rule, a zone without a record for it): then the usual paths apply.
 */
export function resolveCentralizedPath(
  facts: InstanceFacts,
  service: SsmService,
  hostname: string,
): ServicePath | undefined {
  const answerer = answererOf(facts, hostname);
  if (!answerer) return undefined;
  const me = instanceOf(facts);
  const from = `subnet ${me.subnetId ?? '?'} (instance address ${me.privateIp ?? '?'})`;
  const base = { service, hostname };
  if (answerer.kind === 'rule') {
    const { rule } = answerer;
    if ((rule.RuleType ?? '').toUpperCase() !== 'FORWARD') return undefined;
    const targets =
      (rule.TargetIps ?? []).map((t) => `${t.Ip ?? t.Ipv6}:${t.Port ?? 53}`).join(', ') || 'its targets';
    const evidence = {
      path: 'forwarded',
      hostname,
      resolverRuleId: rule.Id,
      domainName: rule.DomainName,
      targetIps: rule.TargetIps ?? [],
    };
    return {
      ...base,
      path: 'endpoint',
      summary: `Resolver rule ${rule.Id} forwards ${rule.DomainName} (and so ${hostname}) to resolvers outside this VPC (${targets}).`,
      warning: `where ${hostname} resolves is decided by the resolvers at ${targets}: verify there that it resolves to an interface endpoint (or public address) reachable from ${from}: the endpoint's security groups allow TCP 443 from that address, its subnets' network ACLs let it in and back, and the route table of ${me.subnetId ?? 'the subnet'} routes the answer's addresses towards it`,
      nextSteps: [],
      evidence,
    };
  }
  const { zone } = answerer;
  const zoneName = `private hosted zone ${zone.name} (${zone.id})`;
  const zoneEvidence = { hostname, hostedZoneId: zone.id, hostedZoneName: zone.name };
  if (zone.owner && zone.owner !== facts.accountId) {
    return {
      ...base,
      path: 'endpoint',
      summary: `${capital(zoneName)}, owned by account ${zone.owner}, answers ${hostname} in VPC ${me.vpcId}.`,
      warning: `its records belong to account ${zone.owner}: verify there that ${hostname} points to an available ${service} interface endpoint whose security groups allow TCP 443 from ${from}, whose subnets' network ACLs let it in and back, and that the route table of ${me.subnetId ?? 'the subnet'} routes towards that endpoint's VPC`,
      nextSteps: [],
      evidence: { path: 'centralized', ...zoneEvidence, hostedZoneOwner: zone.owner },
    };
  }
  if (!zone.records.ok) {
    return {
      ...base,
      path: 'unknown',
      summary: `${capital(zoneName)} may answer ${hostname}, but ${unreadable('its records', zone.records)}.`,
      nextSteps: [],
      evidence: { path: 'unknown', ...zoneEvidence },
    };
  }
  const record = zone.records.value.find(
    (set) => fqdn(set.Name ?? '') === fqdn(hostname) && ['A', 'CNAME'].includes(set.Type ?? ''),
  );
  // A zone that answers only some of the names leaves the others to their own paths (DESIGN.md).
  if (!record) return undefined;
  const names = [
    ...(record.AliasTarget?.DNSName ? [record.AliasTarget.DNSName] : []),
    ...(record.Type === 'CNAME' ? (record.ResourceRecords ?? []).map((r) => r.Value ?? '') : []),
  ];
  const addresses =
    record.Type === 'A' && !record.AliasTarget
      ? (record.ResourceRecords ?? []).flatMap((r) => (r.Value ? [r.Value] : []))
      : [];
  const endpointId = names.map((n) => ENDPOINT_ID.exec(n)?.[1]?.toLowerCase()).find(Boolean);
  const key = endpointId ?? addresses[0];
  const answer = endpointId
    ? `interface endpoint ${endpointId} (${names[0]})`
    : addresses.length
      ? addresses.join(', ')
      : names.join(', ');
  const evidence = { path: 'centralized', ...zoneEvidence, answer: names.length ? names : addresses };
  const targets = facts.network.privateDns?.ok ? facts.network.privateDns.value.targets : {};
  const target = key ? targets[key] : undefined;
  // The route first: an address no route of the subnet covers has no path, whoever owns it.
  const routed = routeTowards(facts, addresses);
  if (routed.status !== 'ok') {
    return routed.status === 'none'
      ? {
          ...base,
          path: 'none',
          cause: routed.cause,
          summary: `${capital(zoneName)} answers ${hostname} with ${answer}, but ${routed.detail}.`,
          nextSteps: routed.fix ? [routed.fix] : [],
          evidence: { ...evidence, route: routed.evidence },
        }
      : {
          ...base,
          path: 'unknown',
          summary: `${capital(zoneName)} answers ${hostname} with ${answer}, but ${routed.detail}.`,
          nextSteps: [],
          evidence,
        };
  }
  if (target?.unreadable || !target) {
    return {
      ...base,
      path: 'unknown',
      summary: `${capital(zoneName)} answers ${hostname} with ${answer}, ${target?.unreadable ? unreadable('where it is', target.unreadable) : 'which could not be located'}.`,
      nextSteps: [],
      evidence,
    };
  }
  if (!target.network) {
    return {
      ...base,
      path: 'endpoint',
      summary: `${capital(zoneName)} answers ${hostname} with ${answer}, which is not in this account.`,
      warning: `verify in the account that owns ${endpointId ?? answer} that it is an available ${service} interface endpoint whose security groups allow TCP 443 from ${from}, whose subnets' network ACLs let it in and back, and that the transit gateway or peering between the VPCs routes both ways`,
      nextSteps: [],
      evidence: { ...evidence, route: routed.evidence },
    };
  }
  return followEndpoint(facts, service, hostname, zoneName, answer, target.network, endpointId, addresses, {
    ...evidence,
    route: routed.evidence,
  });
}

function followEndpoint(
  facts: InstanceFacts,
  service: SsmService,
  hostname: string,
  zoneName: string,
  answer: string,
  network: NetworkPicture,
  endpointId: string | undefined,
  addresses: string[],
  evidence: Record<string, unknown>,
): ServicePath {
  const base = { service, hostname };
  const endpoints = network.endpoints.ok ? network.endpoints.value : [];
  const enis = network.endpointInterfaces.ok ? network.endpointInterfaces.value : [];
  const endpoint =
    endpoints.find((e) => e.VpcEndpointId === endpointId) ??
    endpoints.find((e) =>
      (e.NetworkInterfaceIds ?? []).some((id) =>
        enis.some((eni) => eni.NetworkInterfaceId === id && addresses.includes(eni.PrivateIpAddress ?? '')),
      ),
    );
  const vpcId = network.vpc.ok ? network.vpc.value.VpcId : undefined;
  if (!endpoint) {
    return {
      ...base,
      path: 'unknown',
      summary: `${capital(zoneName)} answers ${hostname} with ${answer} in VPC ${vpcId}, but ${unreadable('its interface endpoints', network.endpoints) ?? 'it is not an ssm, ec2messages or ssmmessages interface endpoint found there'}.`,
      nextSteps: [],
      evidence,
    };
  }
  const id = endpoint.VpcEndpointId ?? 'the endpoint';
  const full: Record<string, unknown> = {
    ...evidence,
    endpointId: id,
    endpointVpcId: vpcId,
    endpointState: endpoint.State,
  };
  if ((endpoint.State ?? '').toLowerCase() !== 'available') {
    return {
      ...base,
      path: 'none',
      cause: 'VPC_ENDPOINT_MISSING',
      summary: `${capital(zoneName)} answers ${hostname} with interface endpoint ${id} in VPC ${vpcId}, which is ${endpoint.State ?? 'in an unknown state'}, not available.`,
      nextSteps: [
        `Make ${id} available in VPC ${vpcId}, or point ${hostname} in ${zoneName} at an available ${service} endpoint`,
      ],
      endpoint,
      evidence: full,
    };
  }
  // An alias names no address: the route is judged towards the endpoint's own interfaces.
  if (addresses.length === 0) {
    const own = enis
      .filter((eni) => (endpoint.NetworkInterfaceIds ?? []).includes(eni.NetworkInterfaceId ?? ''))
      .flatMap((eni) => (eni.PrivateIpAddress ? [eni.PrivateIpAddress] : []));
    const routed = routeTowards(facts, own);
    if (routed.status === 'none')
      return {
        ...base,
        path: 'none',
        cause: routed.cause,
        summary: `${capital(zoneName)} answers ${hostname} with interface endpoint ${id} in VPC ${vpcId}, but ${routed.detail}.`,
        nextSteps: routed.fix ? [routed.fix] : [],
        endpoint,
        evidence: { ...full, route: routed.evidence },
      };
    if (routed.status === 'unknown')
      return {
        ...base,
        path: 'unknown',
        summary: `${capital(zoneName)} answers ${hostname} with interface endpoint ${id} in VPC ${vpcId}, but ${routed.detail}.`,
        nextSteps: [],
        endpoint,
        evidence: full,
      };
    evidence.route = routed.evidence;
  }
  const policy = judgeEndpointPolicy(endpoint, service, callerOf(facts));
  if (policy.decision === 'denies') {
    return {
      ...base,
      path: 'none',
      cause: 'VPC_ENDPOINT_POLICY_DENIES',
      summary: `${hostname} resolves (${zoneName}) to interface endpoint ${id} in VPC ${vpcId}, whose endpoint policy does not allow ${policy.actions.join(', ')} for the instance's role.`,
      nextSteps: [
        `Allow the agent's actions in the policy of ${id} (or restore full access: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${id} --reset-policy)`,
      ],
      endpoint,
      evidence: { ...full, endpointPolicyDenies: policy.actions },
    };
  }
  const route = (evidence.route as { via?: string } | undefined)?.via;
  full.route = evidence.route;
  return {
    ...(policy.decision !== 'allows'
      ? {
          warning: `the policy of ${id} allows ${policy.actions.join(', ')} only under conditions (or could not be read): verify they hold for the agent's calls`,
        }
      : {}),
    ...base,
    path: 'endpoint',
    summary: `${hostname} is answered by ${zoneName} with interface endpoint ${id} in VPC ${vpcId}${route ? `, reached through ${route}` : ''}.`,
    nextSteps: [],
    destination: 'endpoint',
    endpoint,
    ...(vpcId && vpcId !== facts.candidate.instance.VpcId ? { endpointNetwork: network } : {}),
    evidence: full,
  };
}

type Routed =
  | { status: 'ok'; evidence: Record<string, unknown> }
  | {
      status: 'none';
      cause: 'ROUTE_MISSING' | 'ROUTE_BLACKHOLE';
      detail: string;
      fix?: string;
      evidence: Record<string, unknown>;
    }
  | { status: 'unknown'; detail: string };

/**
 * Longest prefix match in the instance subnet's route table for each answered address: `local`,
 * a transit gateway, peering, virtual private gateway or Cloud WAN carries private traffic on;
 * an internet or NAT gateway never reaches a private address; no route or a blackhole is no path.
 * Alias answers carry no addresses here; then the endpoint's interfaces are judged by the checks.
 */
function routeTowards(facts: InstanceFacts, addresses: string[]): Routed {
  if (addresses.length === 0) return { status: 'ok', evidence: {} };
  const me = instanceOf(facts);
  const { routeTables } = facts.network;
  if (!routeTables.ok) return { status: 'unknown', detail: unreadable('route tables', routeTables) ?? '' };
  const found = me.subnetId ? routeTableOf(routeTables.value, me.subnetId, me.vpcId) : undefined;
  if (!found) return { status: 'unknown', detail: `no route table is known for subnet ${me.subnetId}` };
  const tableId = found.table.RouteTableId ?? 'the route table';
  const vias: string[] = [];
  for (const address of addresses) {
    const route = (found.table.Routes ?? [])
      .filter((r) => r.DestinationCidrBlock && cidrContains(r.DestinationCidrBlock, address))
      .sort(
        (a, b) =>
          (parseCidr(b.DestinationCidrBlock ?? '')?.prefix ?? 0) -
          (parseCidr(a.DestinationCidrBlock ?? '')?.prefix ?? 0),
      )[0];
    const evidence = { routeTableId: tableId, address, destination: route?.DestinationCidrBlock ?? null };
    if (!route)
      return {
        status: 'none',
        cause: 'ROUTE_MISSING',
        detail: `route table ${tableId} of subnet ${me.subnetId} has no route covering ${address}`,
        fix: `Route ${address} towards its VPC: aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block <that VPC's CIDR> --transit-gateway-id <tgw-id> (or --vpc-peering-connection-id)`,
        evidence,
      };
    if (route.GatewayId === 'local') {
      vias.push(`the VPC's local route`);
      continue;
    }
    const kind = routeKindOf(route);
    if (kind.kind === 'blackhole')
      return {
        status: 'none',
        cause: 'ROUTE_BLACKHOLE',
        detail: `the route ${route.DestinationCidrBlock} covering ${address} in route table ${tableId} is a blackhole (its target ${kind.targetId} is gone)`,
        fix: `Replace the route: aws ec2 replace-route --route-table-id ${tableId} --destination-cidr-block ${route.DestinationCidrBlock} --transit-gateway-id <tgw-id>`,
        evidence,
      };
    if (kind.kind === 'internet-gateway' || kind.kind === 'nat-gateway')
      return {
        status: 'none',
        cause: 'ROUTE_MISSING',
        detail: `route table ${tableId} sends ${address} (route ${route.DestinationCidrBlock}) to ${kind.targetId}, which cannot reach a private address`,
        fix: `Route ${address} towards its VPC: aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block <that VPC's CIDR> --transit-gateway-id <tgw-id>`,
        evidence,
      };
    vias.push(
      `${kind.kind === 'elsewhere' ? kind.targetType : 'target'} ${targetIdOf(route)} (route ${route.DestinationCidrBlock})`,
    );
  }
  return { status: 'ok', evidence: { routeTableId: tableId, via: [...new Set(vias)].join(', ') } };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
