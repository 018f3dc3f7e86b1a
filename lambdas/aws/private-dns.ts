/**
 * Who answers the SSM service names inside each candidate VPC besides the endpoints' own private
 * DNS: the private hosted zones associated with the VPC and the Resolver rules associated with it
 * (the centralized-endpoint pattern of multi-account networks). Zones are listed once per VPC,
 * each zone's records read once (only the stretch holding the service names), and the Resolver's
 * rules and associations once per call for all VPCs, never per instance.
 */
import {
  type HostedZoneSummary,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
  type RRType,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import type { PrivateZone } from '../engine/facts.ts';
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { mapBounded, rateLimiter } from './paging.ts';
import {
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  type ResolverRule,
  type ResolverRuleAssociation,
  type Route53ResolverClient,
} from './resolver-client.ts';

export interface PrivateDnsClients {
  route53: Route53Client;
  route53resolver: Route53ResolverClient;
}

/** `ssm.eu-west-1.amazonaws.com.`: DNS names compared lower-case with the root dot. */
export const fqdn = (name: string) => `${name.toLowerCase().replace(/\.$/, '')}.`;

/** Whether a zone or rule for `domain` holds `name` (the name itself or a subdomain of it). */
export const domainCovers = (domain: string, name: string) => {
  const d = fqdn(domain);
  const n = fqdn(name);
  return d === '.' || n === d || n.endsWith(`.${d}`);
};

/** Route 53's record order: labels reversed (com.amazonaws.eu-west-1.ssm). */
const recordKey = (name: string) => fqdn(name).slice(0, -1).split('.').reverse().join('.');

export interface VpcPrivateDns {
  zones: PrivateZone[];
  rules: ResolverRule[];
}

/**
 * Route 53's API allows 5 requests a second per account, for all its actions together: the reads
 * keep to it (a burst of 5, then 5 a second, at most 4 in flight) rather than spend the SDK's
 * retries on throttling — 50 VPCs cost ~10 s. Another reader in the account can still throttle
 * us; adaptive retry then slows down further.
 */
export const ROUTE53_RATE = { perSecond: 5, burst: 5, inFlight: 4 } as const;

export async function readPrivateDns(
  clients: PrivateDnsClients,
  region: string,
  accountId: string | undefined,
  vpcIds: readonly string[],
  hostnames: readonly string[],
): Promise<Map<string, Readout<VpcPrivateDns>>> {
  const slot = rateLimiter(ROUTE53_RATE.perSecond, ROUTE53_RATE.burst);
  const [zonesByVpc, rules, associations] = await Promise.all([
    mapBounded(
      vpcIds,
      ROUTE53_RATE.inFlight,
      async (vpcId) => [vpcId, await listZones(clients.route53, slot, vpcId, region)] as const,
    ),
    attempt('ListResolverRules', () => listAll(clients.route53resolver, 'rules'), DENIED_OR_THROTTLED),
    attempt(
      'ListResolverRuleAssociations',
      () => listAll(clients.route53resolver, 'associations'),
      DENIED_OR_THROTTLED,
    ),
  ]);
  // Each zone that may answer a service name, read once however many VPCs it is associated with.
  const relevant = new Map<string, HostedZoneSummary>();
  for (const [, zones] of zonesByVpc)
    for (const zone of zones.ok ? zones.value : [])
      if (zone.HostedZoneId && hostnames.some((h) => domainCovers(zone.Name ?? '', h)))
        relevant.set(zone.HostedZoneId, zone);
  const records = new Map(
    await mapBounded([...relevant.values()], ROUTE53_RATE.inFlight, async (zone) => {
      const owner = zone.Owner?.OwningAccount;
      // Another account's zone (associated across accounts): its records are that account's to read.
      const read: Readout<ResourceRecordSet[]> =
        owner && accountId && owner !== accountId
          ? readOk([])
          : await attempt(
              'ListResourceRecordSets',
              () => serviceRecords(clients.route53, slot, zone, hostnames),
              [...DENIED_OR_THROTTLED, 'NoSuchHostedZone'],
            );
      return [zone.HostedZoneId ?? '', read] as const;
    }),
  );
  const result = new Map<string, Readout<VpcPrivateDns>>();
  for (const [vpcId, zones] of zonesByVpc) {
    if (!zones.ok) result.set(vpcId, zones);
    else if (!rules.ok) result.set(vpcId, rules);
    else if (!associations.ok) result.set(vpcId, associations);
    else {
      const ruleIds = new Set(
        associations.value
          .filter((a) => a.VPCId === vpcId && (a.Status ?? 'COMPLETE') !== 'DELETING')
          .map((a) => a.ResolverRuleId),
      );
      result.set(
        vpcId,
        readOk({
          zones: zones.value
            .filter((zone) => zone.HostedZoneId && relevant.has(zone.HostedZoneId))
            .map((zone) => ({
              id: zone.HostedZoneId ?? '',
              name: fqdn(zone.Name ?? ''),
              ...(zone.Owner?.OwningAccount ? { owner: zone.Owner.OwningAccount } : {}),
              records: records.get(zone.HostedZoneId ?? '') ?? readOk([]),
            })),
          rules: rules.value.filter(
            (rule) => ruleIds.has(rule.Id) && hostnames.some((h) => domainCovers(rule.DomainName ?? '', h)),
          ),
        }),
      );
    }
  }
  return result;
}

async function listZones(
  route53: Route53Client,
  slot: () => Promise<void>,
  VPCId: string,
  region: string,
): Promise<Readout<HostedZoneSummary[]>> {
  // No SDK paginator for ListHostedZonesByVPC (its model declares none): NextToken by hand. A VPC
  // gone since it was read: Route 53 models InvalidInput for this call (InvalidVPCId for others).
  return attempt('ListHostedZonesByVPC', async () => {
    const zones: HostedZoneSummary[] = [];
    let NextToken: string | undefined;
    do {
      await slot();
      const page = await route53.send(
        new ListHostedZonesByVPCCommand({
          VPCId,
          // The SDK types the regions it knew when generated; a newer one is still sent as is.
          VPCRegion: region as VPCRegion,
          MaxItems: 100,
          ...(NextToken ? { NextToken } : {}),
        }),
      );
      zones.push(...(page.HostedZoneSummaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return zones;
  }, [...DENIED_OR_THROTTLED, 'InvalidVPCId', 'InvalidInput']);
}

/**
 * The zone's records for the service names: read from the first name in Route 53's order and
 * stopped past the last, so a big `amazonaws.com` zone costs one page, not all of them. (The SDK
 * has no paginator for it: a page ends at a name, type and identifier, not one token.)
 */
async function serviceRecords(
  route53: Route53Client,
  slot: () => Promise<void>,
  zone: HostedZoneSummary,
  hostnames: readonly string[],
): Promise<ResourceRecordSet[]> {
  const covered = hostnames.filter((h) => domainCovers(zone.Name ?? '', h)).map(fqdn);
  const keys = covered.map(recordKey).sort();
  const first = covered.find((h) => recordKey(h) === keys[0]) ?? covered[0];
  const last = keys[keys.length - 1] ?? '';
  const found: ResourceRecordSet[] = [];
  let start: { name?: string; type?: RRType; identifier?: string } = first ? { name: first } : {};
  for (;;) {
    await slot();
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZoneId ?? '',
        MaxItems: 300,
        ...(start.name ? { StartRecordName: start.name } : {}),
        ...(start.type ? { StartRecordType: start.type } : {}),
        ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
      }),
    );
    const sets = page.ResourceRecordSets ?? [];
    found.push(...sets.filter((set) => covered.includes(fqdn(set.Name ?? ''))));
    const past = sets.some(
      (set) => recordKey(set.Name ?? '') > last && !recordKey(set.Name ?? '').startsWith(`${last}.`),
    );
    if (!page.IsTruncated || past || !page.NextRecordName) return found;
    start = {
      name: page.NextRecordName,
      ...(page.NextRecordType ? { type: page.NextRecordType } : {}),
      ...(page.NextRecordIdentifier ? { identifier: page.NextRecordIdentifier } : {}),
    };
  }
}

async function listAll(client: Route53ResolverClient, what: 'rules'): Promise<ResolverRule[]>;
async function listAll(
  client: Route53ResolverClient,
  what: 'associations',
): Promise<ResolverRuleAssociation[]>;
async function listAll(
  client: Route53ResolverClient,
  what: 'rules' | 'associations',
): Promise<(ResolverRule | ResolverRuleAssociation)[]> {
  const items: (ResolverRule | ResolverRuleAssociation)[] = [];
  let NextToken: string | undefined;
  do {
    const input = { MaxResults: 100, ...(NextToken ? { NextToken } : {}) };
    if (what === 'rules') {
      const page = await client.send(new ListResolverRulesCommand(input));
      items.push(...(page.ResolverRules ?? []));
      NextToken = page.NextToken;
    } else {
      const page = await client.send(new ListResolverRuleAssociationsCommand(input));
      items.push(...(page.ResolverRuleAssociations ?? []));
      NextToken = page.NextToken;
    }
  } while (NextToken);
  return items;
}

/** A readout that failed for a VPC not read at all (never guessed as "no private zones"). */
export const privateDnsNotRead = (vpcId: string): Readout<VpcPrivateDns> =>
  readFailed({ operation: 'ListHostedZonesByVPC', code: 'NotRead', message: `VPC ${vpcId}`, kind: 'gone' });
