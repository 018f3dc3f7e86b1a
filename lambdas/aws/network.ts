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
import { serviceHostname } from '../engine/checks/network/services.ts';
import type { Candidate, NetworkPicture, PrivateDnsTarget, VpcDnsAttributes } from '../engine/facts.ts';
import { type Readout, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { drain, missingKey, readByKey, readIdsIntoKeys } from './paging.ts';
import {
  type PrivateDnsClients,
  privateDnsNotRead,
  readPrivateDns,
  type VpcPrivateDns,
} from './private-dns.ts';

export const SSM_SERVICES = ['ssm', 'ec2messages', 'ssmmessages'] as const;

const PAGE = 1000;
/**
 * Every network read filters by id (never `…Ids`), so a vanished resource is absent, not an
 * `…NotFound`: only a denial, or throttling past the SDK's retries, becomes a value.
 */
const FILTERED_READ = DENIED_OR_THROTTLED;
const byFilter = (name: string, values: string[]): Filter[] => [{ Name: name, Values: values }];

export interface NetworkClients extends PrivateDnsClients {
  ec2: EC2Client;
}

/**
 * The pictures of the candidates' VPCs. First who answers the service names there (private
 * hosted zones, Resolver rules); an answer pointing at an interface endpoint in another VPC of
 * this account brings that VPC into the same batched reads (its endpoint, security groups,
 * interfaces and ACLs), so the centralized path can be followed at no cost per instance.
 */
export async function collectNetworkPictures(
  clients: NetworkClients,
  region: string,
  candidates: readonly Candidate[],
  accountId?: string,
): Promise<Map<string, NetworkPicture>> {
  const { ec2 } = clients;
  const candidateVpcs = unique(candidates.map((c) => c.instance.VpcId));
  const hostnames = SSM_SERVICES.map((service) => serviceHostname(service, region, partitionOf(region)));
  const privateDns = await readPrivateDns(clients, region, accountId, candidateVpcs, hostnames);
  const answers = privateAnswers(privateDns);
  const remote = await locateTargets(ec2, answers);
  const vpcIds = unique([...candidateVpcs, ...remote.vpcIds]);
  const pictures = await collectPictures(ec2, region, candidates, vpcIds, candidateVpcs, (vpcId) =>
    zonesAnswer(privateDns.get(vpcId)),
  );
  for (const vpcId of candidateVpcs) {
    const picture = pictures.get(vpcId);
    const dns = privateDns.get(vpcId) ?? privateDnsNotRead(vpcId);
    if (!picture) continue;
    picture.privateDns = dns.ok
      ? readOk({ ...dns.value, targets: targetsOf(dns.value, remote, pictures) })
      : dns;
  }
  return pictures;
}

async function collectPictures(
  ec2: EC2Client,
  region: string,
  candidates: readonly Candidate[],
  vpcIds: string[],
  candidateVpcs: string[],
  privateZoneAnswers: (vpcId: string) => boolean,
): Promise<Map<string, NetworkPicture>> {
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
    // Only the candidates' VPCs: another VPC's picture serves its endpoint, not its names.
    readDnsAttributes(
      ec2,
      candidateVpcs,
      (vpcId) => hasPrivateDnsEndpoint(endpoints.get(vpcId)) || privateZoneAnswers(vpcId),
    ),
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

const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** An interface endpoint's DNS name (`vpce-0abc…-x1y2z3.ssm.eu-west-1.vpce.amazonaws.com`) names its id. */
export function endpointIdOfDnsName(name: string): string | undefined {
  return /^(?:\*\.)?(vpce-[0-9a-f]{8,17})-[0-9a-z]+[.-]/i.exec(name)?.[1]?.toLowerCase();
}

/** What the zones answer: endpoint ids (alias / CNAME to an endpoint DNS name) and addresses (A). */
function privateAnswers(privateDns: Map<string, Readout<VpcPrivateDns>>) {
  const endpointIds = new Set<string>();
  const addresses = new Set<string>();
  for (const dns of privateDns.values()) {
    if (!dns.ok) continue;
    for (const zone of dns.value.zones) {
      if (!zone.records.ok) continue;
      for (const set of zone.records.value) {
        const names = [
          ...(set.AliasTarget?.DNSName ? [set.AliasTarget.DNSName] : []),
          ...(set.Type === 'CNAME' ? (set.ResourceRecords ?? []).map((r) => r.Value ?? '') : []),
        ];
        for (const name of names) {
          const id = endpointIdOfDnsName(name);
          if (id) endpointIds.add(id);
        }
        if (set.Type === 'A' && !set.AliasTarget)
          for (const record of set.ResourceRecords ?? []) if (record.Value) addresses.add(record.Value);
      }
    }
  }
  return { endpointIds: [...endpointIds], addresses: [...addresses] };
}

interface RemoteTargets {
  vpcIds: string[];
  /** endpoint id → its VPC (absent: not in this account, or not readable). */
  endpointVpc: Map<string, string>;
  /** address → the network interface holding it in this account. */
  addressEni: Map<string, { vpcId?: string; endpointId?: string }>;
  /** A read that failed: every target then stays unknown rather than "not in this account". */
  problem?: Readout<never>;
}

/**
 * Where the answers live: one DescribeVpcEndpoints by id and one DescribeNetworkInterfaces by
 * address for the whole batch. What this account does not return is in another account.
 */
async function locateTargets(
  ec2: EC2Client,
  answers: { endpointIds: string[]; addresses: string[] },
): Promise<RemoteTargets> {
  const client = { client: ec2, pageSize: PAGE };
  const [endpoints, enis] = await Promise.all([
    answers.endpointIds.length
      ? attempt(
          'DescribeVpcEndpoints',
          () =>
            drain(
              paginateDescribeVpcEndpoints(client, {
                Filters: byFilter('vpc-endpoint-id', answers.endpointIds),
              }),
              (p) => p.VpcEndpoints,
            ),
          FILTERED_READ,
        )
      : readOk([]),
    answers.addresses.length
      ? attempt(
          'DescribeNetworkInterfaces',
          () =>
            drain(
              paginateDescribeNetworkInterfaces(client, {
                Filters: byFilter('private-ip-address', answers.addresses),
              }),
              (p) => p.NetworkInterfaces,
            ),
          FILTERED_READ,
        )
      : readOk([]),
  ]);
  const endpointVpc = new Map<string, string>();
  for (const e of endpoints.ok ? endpoints.value : [])
    if (e.VpcEndpointId && e.VpcId) endpointVpc.set(e.VpcEndpointId, e.VpcId);
  const addressEni = new Map<string, { vpcId?: string; endpointId?: string }>();
  for (const eni of enis.ok ? enis.value : []) {
    const endpointId = /vpce-[0-9a-f]+/.exec(eni.Description ?? '')?.[0];
    for (const address of eni.PrivateIpAddresses ?? [])
      if (address.PrivateIpAddress)
        addressEni.set(address.PrivateIpAddress, {
          ...(eni.VpcId ? { vpcId: eni.VpcId } : {}),
          ...(endpointId ? { endpointId } : {}),
        });
  }
  const problem = !endpoints.ok ? endpoints : !enis.ok ? enis : undefined;
  return {
    vpcIds: unique([...endpointVpc.values(), ...[...addressEni.values()].map((e) => e.vpcId)]),
    endpointVpc,
    addressEni,
    ...(problem ? { problem: problem as Readout<never> } : {}),
  };
}

/** A zone of the VPC answers a service name (its names then need `enableDnsHostnames` too). */
const zonesAnswer = (dns: Readout<VpcPrivateDns> | undefined): boolean =>
  dns?.ok === true && dns.value.zones.some((zone) => !zone.records.ok || zone.records.value.length > 0);

function targetsOf(
  dns: VpcPrivateDns,
  remote: RemoteTargets,
  pictures: Map<string, NetworkPicture>,
): Record<string, PrivateDnsTarget> {
  const targets: Record<string, PrivateDnsTarget> = {};
  const pictureOf = (vpcId: string | undefined) => (vpcId ? (pictures.get(vpcId) ?? null) : null);
  for (const { endpointIds, addresses } of [privateAnswers(new Map([['', readOk(dns)]]))]) {
    for (const endpointId of endpointIds)
      targets[endpointId] = {
        endpointId,
        network: remote.problem ? null : pictureOf(remote.endpointVpc.get(endpointId)),
        ...(remote.problem ? { unreadable: remote.problem } : {}),
      };
    for (const address of addresses) {
      const eni = remote.addressEni.get(address);
      targets[address] = {
        address,
        ...(eni?.endpointId ? { endpointId: eni.endpointId } : {}),
        network: remote.problem ? null : pictureOf(eni?.vpcId),
        ...(remote.problem ? { unreadable: remote.problem } : {}),
      };
    }
  }
  return targets;
}

/** An SSM interface endpoint with private DNS: its name resolves only with `enableDnsHostnames` on. */
const hasPrivateDnsEndpoint = (endpoints: Readout<VpcEndpoint[]> | undefined): boolean =>
  endpoints?.ok === true && endpoints.value.some((endpoint) => endpoint.PrivateDnsEnabled === true);

export function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
