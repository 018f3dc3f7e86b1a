/**
 * One network picture per VPC for a batch of candidates. Each resource type is read once for all
 * the batch's VPCs (vpc-id filter values), then split per VPC; a second round reads what the first
 * points at (endpoint interfaces, security groups, DHCP options), and each VPC's DNS attributes.
 */
import {
  DescribeVpcAttributeCommand,
  type EC2Client,
  type Filter,
  paginateDescribeDhcpOptions,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { Candidate, NetworkPicture, VpcDnsAttributes } from '../engine/facts.ts';
import { type Readout, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { drain, missingKey, readByKey, readIdsIntoKeys } from './paging.ts';

export const SSM_SERVICES = ['ssm', 'ec2messages', 'ssmmessages'] as const;

const PAGE = 1000;
/**
 * Every network read filters by id (never `…Ids`), so a vanished resource is absent, not an
 * `…NotFound`: only a denial, or throttling past the SDK's retries, becomes a value.
 */
const FILTERED_READ = DENIED_OR_THROTTLED;
const byFilter = (name: string, values: string[]): Filter[] => [{ Name: name, Values: values }];

export async function collectNetworkPictures(
  ec2: EC2Client,
  region: string,
  candidates: readonly Candidate[],
): Promise<Map<string, NetworkPicture>> {
  const vpcIds = unique(candidates.map((c) => c.instance.VpcId));
  // China regions name some endpoint services `cn.com.amazonaws.<region>.<service>`: ask for both.
  const serviceNames = SSM_SERVICES.flatMap((service) => [
    `com.amazonaws.${region}.${service}`,
    ...(region.startsWith('cn-') ? [`cn.com.amazonaws.${region}.${service}`] : []),
  ]);
  const client = { client: ec2, pageSize: PAGE };

  const [vpcs, subnets, routeTables, internetGateways, natGateways, endpoints, networkAcls] =
    await Promise.all([
      readByKey(
        vpcIds,
        'DescribeVpcs',
        (ids) => drain(paginateDescribeVpcs(client, { Filters: byFilter('vpc-id', ids) }), (p) => p.Vpcs),
        (v) => [v.VpcId],
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeSubnets',
        (ids) =>
          drain(paginateDescribeSubnets(client, { Filters: byFilter('vpc-id', ids) }), (p) => p.Subnets),
        (s) => [s.VpcId],
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeRouteTables',
        (ids) =>
          drain(
            paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, { Filters: byFilter('vpc-id', ids) }),
            (p) => p.RouteTables,
          ),
        (t) => [t.VpcId],
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeInternetGateways',
        (ids) =>
          drain(
            paginateDescribeInternetGateways(client, { Filters: byFilter('attachment.vpc-id', ids) }),
            (p) => p.InternetGateways,
          ),
        (g) => (g.Attachments ?? []).map((a) => a.VpcId),
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeNatGateways',
        (ids) =>
          drain(
            paginateDescribeNatGateways(client, { Filter: byFilter('vpc-id', ids) }),
            (p) => p.NatGateways,
          ),
        (n) => [n.VpcId],
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeVpcEndpoints',
        (ids) =>
          drain(
            paginateDescribeVpcEndpoints(client, {
              Filters: [
                ...byFilter('vpc-id', ids),
                ...byFilter('service-name', serviceNames),
                ...byFilter('vpc-endpoint-type', ['Interface']),
              ],
            }),
            (p) => p.VpcEndpoints,
          ),
        (e) => [e.VpcId],
        FILTERED_READ,
      ),
      readByKey(
        vpcIds,
        'DescribeNetworkAcls',
        (ids) =>
          drain(
            paginateDescribeNetworkAcls(client, { Filters: byFilter('vpc-id', ids) }),
            (p) => p.NetworkAcls,
          ),
        (a) => [a.VpcId],
        FILTERED_READ,
      ),
    ]);

  // Second round: what the first one points at.
  const allEndpoints = [...endpoints.values()].flatMap((r) => (r.ok ? r.value : []));
  const endpointVpcs = unique(allEndpoints.map((e) => e.VpcId));
  const groupIds = unique([
    ...candidates.flatMap((c) => (c.instance.SecurityGroups ?? []).map((g) => g.GroupId)),
    ...allEndpoints.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId)),
  ]);
  const dhcpIds = unique(
    [...vpcs.values()].flatMap((r) => (r.ok ? r.value.map((v) => v.DhcpOptionsId) : [])),
  );
  const [interfaces, groups, dhcpOptions, dnsAttributes] = await Promise.all([
    readIdsIntoKeys(
      allEndpoints.flatMap((e) => e.NetworkInterfaceIds ?? []),
      endpointVpcs,
      'DescribeNetworkInterfaces',
      (ids) =>
        drain(
          paginateDescribeNetworkInterfaces(client, { Filters: byFilter('network-interface-id', ids) }),
          (p) => p.NetworkInterfaces,
        ),
      (n) => [n.VpcId],
      FILTERED_READ,
    ),
    readIdsIntoKeys(
      groupIds,
      vpcIds,
      'DescribeSecurityGroups',
      (ids) =>
        drain(
          paginateDescribeSecurityGroups(client, { Filters: byFilter('group-id', ids) }),
          (p) => p.SecurityGroups,
        ),
      (g) => [g.VpcId],
      FILTERED_READ,
    ),
    readByKey(
      dhcpIds,
      'DescribeDhcpOptions',
      (ids) =>
        drain(
          paginateDescribeDhcpOptions(client, { Filters: byFilter('dhcp-options-id', ids) }),
          (p) => p.DhcpOptions,
        ),
      (d) => [d.DhcpOptionsId],
      FILTERED_READ,
    ),
    readDnsAttributes(ec2, vpcIds, (vpcId) => hasPrivateDnsEndpoint(endpoints.get(vpcId))),
  ]);

  const pictures = new Map<string, NetworkPicture>();
  for (const vpcId of vpcIds) {
    const vpc = vpcs.get(vpcId) ?? missingKey('DescribeVpcs', vpcId);
    const vpcValue = vpc.ok ? vpc.value[0] : undefined;
    const dhcp = vpcValue?.DhcpOptionsId ? dhcpOptions.get(vpcValue.DhcpOptionsId) : undefined;
    pictures.set(vpcId, {
      vpc: vpc.ok ? (vpcValue ? readOk(vpcValue) : missingKey('DescribeVpcs', vpcId)) : vpc,
      dnsAttributes: dnsAttributes.get(vpcId) ?? readOk({ enableDnsSupport: true }),
      subnets: subnets.get(vpcId) ?? missingKey('DescribeSubnets', vpcId),
      routeTables: routeTables.get(vpcId) ?? missingKey('DescribeRouteTables', vpcId),
      internetGateways: internetGateways.get(vpcId) ?? missingKey('DescribeInternetGateways', vpcId),
      natGateways: natGateways.get(vpcId) ?? missingKey('DescribeNatGateways', vpcId),
      endpoints: endpoints.get(vpcId) ?? missingKey('DescribeVpcEndpoints', vpcId),
      endpointInterfaces: interfaces.get(vpcId) ?? readOk([]),
      securityGroups: groups.get(vpcId) ?? missingKey('DescribeSecurityGroups', vpcId),
      networkAcls: networkAcls.get(vpcId) ?? missingKey('DescribeNetworkAcls', vpcId),
      // Without the VPC its DHCP options are unknown too: never guessed as "none set".
      dhcpOptions: !vpc.ok
        ? vpc
        : !vpcValue?.DhcpOptionsId || vpcValue.DhcpOptionsId === 'default'
          ? readOk(undefined)
          : dhcp
            ? dhcp.ok
              ? readOk(dhcp.value[0])
              : dhcp
            : readOk(undefined),
    });
  }
  return pictures;
}

/**
 * Without DNS support the Amazon DNS server answers nothing at all, internet path or not, so
 * `enableDnsSupport` is read in every candidate VPC. `enableDnsHostnames` matters only to private
 * names (an SSM interface endpoint with private DNS in the VPC, or a private hosted zone that
 * answers a service name), so it is read only where `privateNames` says so: one call per VPC and
 * attribute (DescribeVpcAttribute takes one of each), ~1.4 per VPC instead of 2.
 */
async function readDnsAttributes(
  ec2: EC2Client,
  vpcIds: string[],
  privateNames: (vpcId: string) => boolean,
): Promise<Map<string, Readout<VpcDnsAttributes>>> {
  const entries = await Promise.all(
    vpcIds.map(
      async (vpcId) =>
        [
          vpcId,
          await attempt(
            'DescribeVpcAttribute',
            () => describeDnsAttributes(ec2, vpcId, privateNames(vpcId)),
            [...DENIED_OR_THROTTLED, 'InvalidVpcID.NotFound'],
          ),
        ] as const,
    ),
  );
  return new Map(entries);
}

/** A VPC's DNS attributes (both default to on, as EC2 creates VPCs); throws what EC2 throws. */
export async function describeDnsAttributes(
  ec2: EC2Client,
  VpcId: string,
  withHostnames = true,
): Promise<VpcDnsAttributes> {
  const ask = (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') =>
    ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute }));
  const [support, hostnames] = await Promise.all([
    ask('enableDnsSupport'),
    withHostnames ? ask('enableDnsHostnames') : undefined,
  ]);
  return {
    enableDnsSupport: support.EnableDnsSupport?.Value ?? true,
    ...(hostnames ? { enableDnsHostnames: hostnames.EnableDnsHostnames?.Value ?? true } : {}),
  };
}

/** An SSM interface endpoint with private DNS: its name resolves only with `enableDnsHostnames` on. */
const hasPrivateDnsEndpoint = (endpoints: Readout<VpcEndpoint[]> | undefined): boolean =>
  endpoints?.ok === true && endpoints.value.some((endpoint) => endpoint.PrivateDnsEnabled === true);

export function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
