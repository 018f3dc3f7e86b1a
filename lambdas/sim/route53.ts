/**
 * The simulated Route 53 and Route 53 Resolver reads, from the world's `route53` and
 * `route53resolver` sections: private hosted zones by VPC association, a zone's records (in
 * Route 53's own order, paged by name/type/identifier), Resolver rules and rule associations
 * (paged by NextToken, with the `VPCId` / `ResolverRuleId` / `Type` filters the API offers).
 * A zone owned by another account is listed by VPC (it is associated) but its records are that
 * account's: reading them is denied, as Route 53 denies them.
 */
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';
import type { WorldHostedZone } from './world-schema-route53.ts';

const zoneId = (id: string) => id.replace(/^\/hostedzone\//, '');
const ownerOf = (zone: WorldHostedZone, ctx: SimContext) => zone.Owner?.OwningAccount ?? ctx.accountId;

function page<T>(
  items: T[],
  input: { MaxResults?: number; MaxItems?: number; NextToken?: string },
  max: number,
  service: 'route53' | 'route53resolver',
) {
  const size = Math.min(Number(input.MaxResults ?? input.MaxItems ?? max) || max, max);
  const start = input.NextToken ? Number.parseInt(input.NextToken, 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    // Each service's own code: Route 53 models InvalidPaginationToken, the Resolver InvalidNextTokenException.
    throw service === 'route53'
      ? awsError('route53', 'InvalidPaginationToken', 'The NextToken is not valid.')
      : awsError('route53resolver', 'InvalidNextTokenException', 'The NextToken is not valid.');
  const slice = items.slice(start, start + size);
  return { slice, next: start + size < items.length ? String(start + size) : undefined };
}

function listHostedZonesByVPC(
  input: { VPCId?: string; VPCRegion?: string; MaxItems?: number; NextToken?: string },
  ctx: SimContext,
) {
  if (!input.VPCId || !input.VPCRegion)
    throw awsError('route53', 'InvalidInput', 'VPCId and VPCRegion are required.');
  const zones = ctx.world.route53.HostedZones.filter(
    (zone) =>
      zone.Config?.PrivateZone !== false &&
      (zone.VPCs ?? []).some(
        (vpc) => vpc.VPCId === input.VPCId && (vpc.VPCRegion ?? ctx.region) === input.VPCRegion,
      ),
  );
  const { slice, next } = page(zones, input, 100, 'route53');
  return {
    HostedZoneSummaries: slice.map((zone) => ({
      HostedZoneId: zoneId(zone.Id),
      Name: zone.Name,
      Owner: { OwningAccount: ownerOf(zone, ctx) },
    })),
    MaxItems: String(input.MaxItems ?? 100),
    ...(next ? { NextToken: next } : {}),
  };
}

/** Route 53 lists records by name with labels reversed (com.amazonaws.ssm…), then by type. */
const sortKey = (name: string, type: string) =>
  `${name.toLowerCase().replace(/\.$/, '').split('.').reverse().join('.')}\u0000${type}`;

function listResourceRecordSets(
  input: { HostedZoneId?: string; StartRecordName?: string; StartRecordType?: string; MaxItems?: number },
  ctx: SimContext,
) {
  const zone = ctx.world.route53.HostedZones.find((z) => zoneId(z.Id) === zoneId(input.HostedZoneId ?? ''));
  if (!zone)
    throw awsError('route53', 'NoSuchHostedZone', `No hosted zone found with ID: ${input.HostedZoneId}`, 404);
  if (ownerOf(zone, ctx) !== ctx.accountId)
    throw awsError(
      'route53',
      'AccessDenied',
      `User is not authorized to access hosted zone ${zoneId(zone.Id)}, which belongs to account ${ownerOf(zone, ctx)}`,
      403,
    );
  const sets = [...(zone.ResourceRecordSets ?? [])].sort((a, b) =>
    sortKey(a.Name, a.Type).localeCompare(sortKey(b.Name, b.Type)),
  );
  const from = input.StartRecordName ? sortKey(input.StartRecordName, input.StartRecordType ?? '') : '';
  const rest = sets.filter((set) => sortKey(set.Name, set.Type) >= from);
  const size = Math.min(Number(input.MaxItems ?? 300) || 300, 300);
  const shown = rest.slice(0, size);
  const next = rest[size];
  return {
    ResourceRecordSets: shown,
    IsTruncated: next !== undefined,
    MaxItems: String(size),
    ...(next ? { NextRecordName: next.Name, NextRecordType: next.Type } : {}),
  };
}

type Filters = { Name?: string; Values?: string[] }[] | undefined;
const passes = (filters: Filters, fields: Record<string, string | undefined>) =>
  (filters ?? []).every(
    (f) => !f.Name || !(f.Name in fields) || (f.Values ?? []).includes(fields[f.Name] ?? ''),
  );

function listResolverRules(
  input: { MaxResults?: number; NextToken?: string; Filters?: Filters },
  ctx: SimContext,
) {
  const rules = ctx.world.route53resolver.ResolverRules.filter((rule) =>
    passes(input.Filters, { Id: rule.Id, Type: rule.RuleType, DomainName: rule.DomainName, Name: rule.Name }),
  );
  const { slice, next } = page(rules, input, 100, 'route53resolver');
  return {
    ResolverRules: slice.map((rule) => ({
      Status: 'COMPLETE',
      OwnerId: ctx.accountId,
      Arn: `arn:${ctx.partition}:route53resolver:${ctx.region}:${rule.OwnerId ?? ctx.accountId}:resolver-rule/${rule.Id}`,
      ...rule,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

function listResolverRuleAssociations(
  input: { MaxResults?: number; NextToken?: string; Filters?: Filters },
  ctx: SimContext,
) {
  const associations = ctx.world.route53resolver.ResolverRuleAssociations.filter((a) =>
    passes(input.Filters, {
      VPCId: a.VPCId,
      ResolverRuleId: a.ResolverRuleId,
      Status: a.Status ?? 'COMPLETE',
    }),
  );
  const { slice, next } = page(associations, input, 100, 'route53resolver');
  return {
    ResolverRuleAssociations: slice.map((a, i) => ({
      Id: a.Id ?? `rslvr-rrassoc-${String(i).padStart(17, '0')}`,
      Status: 'COMPLETE',
      ...a,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

export const route53Handlers: Handlers = {
  ListHostedZonesByVPC: listHostedZonesByVPC,
  ListResourceRecordSets: listResourceRecordSets,
};

export const route53ResolverHandlers: Handlers = {
  ListResolverRules: listResolverRules,
  ListResolverRuleAssociations: listResolverRuleAssociations,
};
