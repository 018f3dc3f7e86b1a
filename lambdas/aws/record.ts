/**
 * `ssm-doctor record`: a snapshot of one account/region as a world file, using read calls only,
 * so a problem seen live can be diagnosed, shared and turned into a test offline. It reads the
 * whole region's network and the IAM behind the instances' profiles and the DHMC role.
 */

import {
  paginateDescribeDhcpOptions,
  paginateDescribeImages,
  paginateDescribeInstanceStatus,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type InstanceProfile,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type Role,
} from '@aws-sdk/client-iam';
import {
  type HostedZoneSummary,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsRequest,
  type ResourceRecordSet,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from './clients.ts';
import { DHMC_SETTING_ID } from './dhmc.ts';
import { isCode } from './errors.ts';
import { profileNameOf, roleNameOf } from './iam.ts';
import type { Identity } from './identity.ts';
import { readConsoleOutputs, readMetadataNoToken } from './instance.ts';
import { readRegistrations } from './inventory.ts';
import { describeDnsAttributes, unique } from './network.ts';
import { chunk, drain } from './paging.ts';
import {
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  type ResolverRule,
  type ResolverRuleAssociation,
} from './resolver-client.ts';

export async function recordWorld(clients: AwsClients, identity: Identity, now: Date) {
  const { ec2, ssm } = clients;
  const page = { client: ec2, pageSize: 1000 };
  const [
    instances,
    statuses,
    vpcs,
    subnets,
    routeTables,
    internetGateways,
    natGateways,
    endpoints,
    groups,
    acls,
    dhcp,
    registrations,
  ] = await Promise.all([
    drain(paginateDescribeInstances(page, {}), (p) => p.Reservations?.flatMap((r) => r.Instances ?? [])),
    drain(paginateDescribeInstanceStatus(page, { IncludeAllInstances: true }), (p) => p.InstanceStatuses),
    drain(paginateDescribeVpcs(page, {}), (p) => p.Vpcs),
    drain(paginateDescribeSubnets(page, {}), (p) => p.Subnets),
    drain(paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, {}), (p) => p.RouteTables),
    drain(paginateDescribeInternetGateways(page, {}), (p) => p.InternetGateways),
    drain(paginateDescribeNatGateways(page, {}), (p) => p.NatGateways),
    drain(paginateDescribeVpcEndpoints(page, {}), (p) => p.VpcEndpoints),
    drain(paginateDescribeSecurityGroups(page, {}), (p) => p.SecurityGroups),
    drain(paginateDescribeNetworkAcls(page, {}), (p) => p.NetworkAcls),
    drain(paginateDescribeDhcpOptions(page, {}), (p) => p.DhcpOptions),
    readRegistrations(clients),
  ]);
  const interfaceIds = endpoints.flatMap((e) => e.NetworkInterfaceIds ?? []);
  const imageIds = unique(instances.map((i) => i.ImageId));
  const running = instances.filter((i) => i.State?.Name === 'running').map((i) => i.InstanceId ?? '');
  const online = new Set(registrations.filter((r) => r.PingStatus === 'Online').map((r) => r.InstanceId));
  const [interfaces, images, dnsVpcs, setting, noToken, consoles] = await Promise.all([
    readChunked(interfaceIds, (ids) =>
      drain(
        paginateDescribeNetworkInterfaces(page, { Filters: [{ Name: 'network-interface-id', Values: ids }] }),
        (p) => p.NetworkInterfaces,
      ),
    ),
    // Deprecated AMIs too, as the scan reads them: instances outlive their AMI's deprecation.
    readChunked(imageIds, (ids) =>
      drain(
        paginateDescribeImages(page, {
          Filters: [{ Name: 'image-id', Values: ids }],
          IncludeDeprecated: true,
        }),
        (p) => p.Images,
      ),
    ),
    Promise.all(
      vpcs.map((vpc) => readDnsFlags(clients, vpc.VpcId ?? '').then((flags) => ({ ...vpc, ...flags }))),
    ),
    ssm.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID })),
    readMetadataNoToken(clients.cloudwatch, running, now, 14),
    readConsoleOutputs(
      ec2,
      running.filter((id) => !online.has(id)),
      (id) => instances.find((i) => i.InstanceId === id)?.InstanceType,
    ),
  ]);
  const [iam, privateDns] = await Promise.all([
    recordIam(
      clients,
      unique(instances.map((i) => i.IamInstanceProfile?.Arn)),
      setting.ServiceSetting?.SettingValue,
    ),
    recordPrivateDns(clients, identity.accountId, unique(vpcs.map((v) => v.VpcId))),
  ]);
  return {
    format: 'ssm-doctor/world@1',
    accountId: identity.accountId,
    region: clients.region,
    now: now.toISOString(),
    ec2: {
      Instances: instances,
      InstanceStatuses: statuses,
      Images: images,
      Vpcs: dnsVpcs,
      Subnets: subnets,
      RouteTables: routeTables,
      InternetGateways: internetGateways,
      NatGateways: natGateways,
      VpcEndpoints: endpoints,
      NetworkInterfaces: interfaces,
      SecurityGroups: groups,
      NetworkAcls: acls,
      DhcpOptions: dhcp,
      ConsoleOutput: Object.fromEntries(
        [...consoles].flatMap(([id, { text }]) => (text.ok && text.value ? [[id, text.value]] : [])),
      ),
    },
    ssm: {
      InstanceInformationList: registrations,
      ServiceSettings: setting.ServiceSetting ? [setting.ServiceSetting] : [],
    },
    iam,
    cloudwatch: {
      MetadataNoToken: Object.fromEntries([...noToken].flatMap(([id, r]) => (r.ok ? [[id, r.value]] : []))),
    },
    ...privateDns,
  };
}

/**
 * The private hosted zones associated with the region's VPCs (with those associations and, for
 * this account's zones, every record), and the Resolver's rules and rule associations: the
 * world's `route53` and `route53resolver` keys. Another account's zone is recorded with its
 * owner and without records, which only that account can read.
 */
async function recordPrivateDns(clients: AwsClients, accountId: string, vpcIds: string[]) {
  const { route53, route53resolver, region } = clients;
  const byVpc = await Promise.all(
    vpcIds.map(async (VPCId) => {
      const zones: HostedZoneSummary[] = [];
      let NextToken: string | undefined;
      do {
        const page = await route53.send(
          new ListHostedZonesByVPCCommand({
            VPCId,
            VPCRegion: region as VPCRegion,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        zones.push(...(page.HostedZoneSummaries ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return { VPCId, zones };
    }),
  );
  const zones = new Map<string, { summary: HostedZoneSummary; vpcs: string[] }>();
  for (const { VPCId, zones: found } of byVpc)
    for (const summary of found) {
      const id = summary.HostedZoneId ?? '';
      const entry = zones.get(id) ?? { summary, vpcs: [] };
      entry.vpcs.push(VPCId);
      zones.set(id, entry);
    }
  const HostedZones = await Promise.all(
    [...zones.entries()].map(async ([Id, { summary, vpcs }]) => {
      const owner = summary.Owner?.OwningAccount;
      const foreign = owner !== undefined && owner !== accountId;
      return {
        Id,
        Name: summary.Name ?? '',
        Config: { PrivateZone: true },
        ...(foreign ? { Owner: { OwningAccount: owner } } : {}),
        VPCs: vpcs.map((VPCId) => ({ VPCId, VPCRegion: region })),
        ...(foreign ? {} : { ResourceRecordSets: await allRecords(clients, Id) }),
      };
    }),
  );
  const rules: ResolverRule[] = [];
  const associations: ResolverRuleAssociation[] = [];
  for (let NextToken: string | undefined, first = true; first || NextToken; first = false) {
    const page = await route53resolver.send(new ListResolverRulesCommand(NextToken ? { NextToken } : {}));
    rules.push(...(page.ResolverRules ?? []));
    NextToken = page.NextToken;
  }
  for (let NextToken: string | undefined, first = true; first || NextToken; first = false) {
    const page = await route53resolver.send(
      new ListResolverRuleAssociationsCommand(NextToken ? { NextToken } : {}),
    );
    associations.push(...(page.ResolverRuleAssociations ?? []));
    NextToken = page.NextToken;
  }
  return {
    route53: { HostedZones },
    route53resolver: {
      // The world holds the rule types the scan reasons about; RECURSIVE (the Resolver's own) is implied.
      ResolverRules: rules.filter((r) => r.Id && r.DomainName && r.RuleType),
      ResolverRuleAssociations: associations.filter((a) => a.ResolverRuleId && a.VPCId),
    },
  };
}

async function allRecords(clients: AwsClients, HostedZoneId: string): Promise<ResourceRecordSet[]> {
  const sets: ResourceRecordSet[] = [];
  let start: Omit<ListResourceRecordSetsRequest, 'HostedZoneId' | 'MaxItems'> = {};
  for (;;) {
    const page = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId, ...start }));
    sets.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated || !page.NextRecordName) return sets;
    start = {
      StartRecordName: page.NextRecordName,
      ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

async function readChunked<T>(ids: string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(chunk(ids).map(read))).flat();
}

/** The world file's two DNS booleans of a VPC. */
async function readDnsFlags(clients: AwsClients, VpcId: string) {
  const dns = await describeDnsAttributes(clients.ec2, VpcId);
  return { EnableDnsSupport: dns.enableDnsSupport, EnableDnsHostnames: dns.enableDnsHostnames };
}

/** The profiles the instances use (a deleted one is simply left out), their roles and the DHMC role. */
async function recordIam(clients: AwsClients, profileArns: string[], dhmcSetting: string | undefined) {
  const { iam } = clients;
  const profiles: InstanceProfile[] = [];
  for (const arn of profileArns) {
    try {
      const { InstanceProfile } = await iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: profileNameOf(arn) }),
      );
      if (InstanceProfile) profiles.push(InstanceProfile);
    } catch (error) {
      if (!isCode(error, 'NoSuchEntity')) throw error;
    }
  }
  const roleNames = unique([
    ...profiles.flatMap((p) => (p.Roles ?? []).map((r) => r.RoleName)),
    ...(dhmcSetting && dhmcSetting !== '$None' ? [roleNameOf(dhmcSetting)] : []),
  ]);
  const roles = (await Promise.all(roleNames.map((name) => recordRole(clients, name)))).filter(
    (r) => r !== undefined,
  );
  // Every attached policy's document, AWS-managed ones too: the world then needs nothing from
  // outside to evaluate the roles (the simulator only knows a few AWS-managed documents itself).
  // Permission boundaries too: the simulator weighs them, so the world must carry their documents.
  const policyArns = unique(
    roles.flatMap((r) => [
      ...r.AttachedPolicies.map((p) => p.PolicyArn),
      r.PermissionsBoundary?.PermissionsBoundaryArn,
    ]),
  );
  const policies = (await Promise.all(policyArns.map((arn) => recordPolicy(clients, arn)))).filter(
    (p) => p !== undefined,
  );
  return { InstanceProfiles: profiles, Roles: roles, Policies: policies };
}

/** A policy's default version; one deleted since it was listed is left out. */
async function recordPolicy(clients: AwsClients, PolicyArn: string) {
  try {
    const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn }));
    const { PolicyVersion } = await clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy?.DefaultVersionId }),
    );
    return { Arn: PolicyArn, PolicyName: Policy?.PolicyName, Document: PolicyVersion?.Document };
  } catch (error) {
    if (isCode(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

async function recordRole(clients: AwsClients, RoleName: string) {
  const { iam } = clients;
  let role: Role | undefined;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName }))).Role;
  } catch (error) {
    if (isCode(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
  const [attached, inlineNames] = await Promise.all([
    drain(paginateListAttachedRolePolicies({ client: iam }, { RoleName }), (p) => p.AttachedPolicies),
    drain(paginateListRolePolicies({ client: iam }, { RoleName }), (p) => p.PolicyNames),
  ]);
  const inline = await Promise.all(
    inlineNames.map(async (PolicyName) => {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      return { PolicyName, PolicyDocument: policy.PolicyDocument };
    }),
  );
  return { ...role, AttachedPolicies: attached, RolePolicies: inline };
}
