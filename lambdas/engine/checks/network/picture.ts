/** Finding one instance's pieces in its VPC's network picture (plain look-ups, no judgement). */
import type { Instance, NetworkAcl, RouteTable, SecurityGroup } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { describeProblem, type Readout, readOk } from '../../readout.ts';
import type { ServicePath } from './path-types.ts';

/** What the checks need of the instance's primary network interface. */
export interface InstanceNetwork {
  instanceId: string;
  vpcId: string | undefined;
  subnetId: string | undefined;
  privateIp: string | undefined;
  publicIp: string | undefined;
  groupIds: string[];
}

export function instanceNetwork(instance: Instance): InstanceNetwork {
  const primary = instance.NetworkInterfaces?.find((eni) => eni.Attachment?.DeviceIndex === 0);
  return {
    instanceId: instance.InstanceId ?? 'the instance',
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    privateIp: instance.PrivateIpAddress ?? primary?.PrivateIpAddress,
    // An Elastic IP on the primary interface (on its primary private address, which the agent's
    // traffic leaves from) serves as the instance's public IPv4 too.
    publicIp:
      instance.PublicIpAddress ??
      primary?.Association?.PublicIp ??
      primary?.PrivateIpAddresses?.find((address) => address.Primary)?.Association?.PublicIp,
    groupIds: (instance.SecurityGroups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : [])),
  };
}

export const instanceOf = (facts: InstanceFacts): InstanceNetwork =>
  instanceNetwork(facts.candidate.instance);

/** The route table a subnet uses: its explicit association, else the VPC's main table. */
export function routeTableOf(
  tables: readonly RouteTable[],
  subnetId: string,
  vpcId: string | undefined,
): { table: RouteTable; association: 'explicit' | 'main' } | undefined {
  const inVpc = tables.filter((table) => !vpcId || !table.VpcId || table.VpcId === vpcId);
  const explicit = inVpc.find((table) =>
    table.Associations?.some((a) => a.SubnetId === subnetId && a.AssociationState?.State !== 'disassociated'),
  );
  if (explicit) return { table: explicit, association: 'explicit' };
  const main = inVpc.find((table) => table.Associations?.some((a) => a.Main === true));
  return main ? { table: main, association: 'main' } : undefined;
}

/** The network ACL a subnet uses: its association, else the VPC's default ACL. */
export function networkAclOf(
  acls: readonly NetworkAcl[],
  subnetId: string,
  vpcId: string | undefined,
): NetworkAcl | undefined {
  const inVpc = acls.filter((acl) => !vpcId || !acl.VpcId || acl.VpcId === vpcId);
  return (
    inVpc.find((acl) => acl.Associations?.some((a) => a.SubnetId === subnetId)) ??
    inVpc.find((acl) => acl.IsDefault === true)
  );
}

/** The groups found, and the ids the picture does not hold. */
export function groupsById(
  groups: readonly SecurityGroup[],
  ids: readonly string[],
): { found: SecurityGroup[]; missing: string[] } {
  const found: SecurityGroup[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const group = groups.find((candidate) => candidate.GroupId === id);
    if (group) found.push(group);
    else missing.push(id);
  }
  return { found, missing };
}

/** "Could not read route tables (DescribeRouteTables failed with …)". */
export function unreadable(what: string, readout: Readout<unknown>): string | undefined {
  return readout.ok ? undefined : `could not read ${what} (${describeProblem(readout.problem)})`;
}

const merged = <T>(a: Readout<T[]>, b: Readout<T[]>): Readout<T[]> =>
  a.ok && b.ok ? readOk([...a.value, ...b.value]) : a.ok ? b : a;

/**
 * The facts as the checks of one path see them: for an endpoint in another VPC (a centralized
 * endpoint), its VPC's subnets, security groups, interfaces and ACLs join the instance's, so the
 * same look-ups by id find both sides of the conversation.
 */
export function withEndpointNetwork(facts: InstanceFacts, path: ServicePath): InstanceFacts {
  const remote = path.endpointNetwork;
  if (!remote) return facts;
  const own = facts.network;
  return {
    ...facts,
    network: {
      ...own,
      subnets: merged(own.subnets, remote.subnets),
      securityGroups: merged(own.securityGroups, remote.securityGroups),
      networkAcls: merged(own.networkAcls, remote.networkAcls),
      endpointInterfaces: merged(own.endpointInterfaces, remote.endpointInterfaces),
    },
  };
}
