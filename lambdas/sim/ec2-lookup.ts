/**
 * Selecting EC2 resources the way EC2 does: a malformed id is `…Malformed`, an unknown one the
 * resource's own `…NotFound` code (all unknown ids named in one message), a `MaxResults` combined
 * with explicit ids is rejected where the API reference says so, and `describe` chains ids,
 * filters and a page for the plain Describe* calls.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { awsError } from './errors.ts';
import { applyFilters, type FilterSpec } from './filters.ts';
import { ec2Page, type PageLimits } from './pagination.ts';

interface IdKind {
  prefix: string;
  noun: string;
  notFound: string;
  malformed: string;
}

export const ID_KINDS = {
  instance: {
    prefix: 'i-',
    noun: 'instance ID',
    notFound: 'InvalidInstanceID.NotFound',
    malformed: 'InvalidInstanceID.Malformed',
  },
  vpc: {
    prefix: 'vpc-',
    noun: 'vpc ID',
    notFound: 'InvalidVpcID.NotFound',
    malformed: 'InvalidVpcID.Malformed',
  },
  subnet: {
    prefix: 'subnet-',
    noun: 'subnet ID',
    notFound: 'InvalidSubnetID.NotFound',
    malformed: 'InvalidSubnetID.Malformed',
  },
  routeTable: {
    prefix: 'rtb-',
    noun: 'routeTable ID',
    notFound: 'InvalidRouteTableID.NotFound',
    malformed: 'InvalidRouteTableId.Malformed',
  },
  internetGateway: {
    prefix: 'igw-',
    noun: 'internetGateway ID',
    notFound: 'InvalidInternetGatewayID.NotFound',
    malformed: 'InvalidInternetGatewayId.Malformed',
  },
  natGateway: {
    prefix: 'nat-',
    noun: 'NAT gateway ID',
    notFound: 'NatGatewayNotFound',
    malformed: 'InvalidParameterValue',
  },
  vpcEndpoint: {
    prefix: 'vpce-',
    noun: 'VPC endpoint ID',
    notFound: 'InvalidVpcEndpointId.NotFound',
    malformed: 'InvalidVpcEndpointId.Malformed',
  },
  networkInterface: {
    prefix: 'eni-',
    noun: 'networkInterface ID',
    notFound: 'InvalidNetworkInterfaceID.NotFound',
    malformed: 'InvalidNetworkInterfaceId.Malformed',
  },
  securityGroup: {
    prefix: 'sg-',
    noun: 'security group',
    notFound: 'InvalidGroup.NotFound',
    malformed: 'InvalidGroupId.Malformed',
  },
  networkAcl: {
    prefix: 'acl-',
    noun: 'networkAcl ID',
    notFound: 'InvalidNetworkAclID.NotFound',
    malformed: 'InvalidNetworkAclId.Malformed',
  },
  dhcpOptions: {
    prefix: 'dopt-',
    noun: 'dhcpOption ID',
    notFound: 'InvalidDhcpOptionID.NotFound',
    malformed: 'InvalidDhcpOptionsId.Malformed',
  },
  image: {
    prefix: 'ami-',
    noun: 'image id',
    notFound: 'InvalidAMIID.NotFound',
    malformed: 'InvalidAMIID.Malformed',
  },
  association: {
    prefix: 'iip-assoc-',
    noun: 'association ID',
    notFound: 'InvalidAssociationID.NotFound',
    malformed: 'InvalidAssociationID.NotFound',
  },
} as const satisfies Record<string, IdKind>;

export type IdKindName = keyof typeof ID_KINDS;

export function checkWellFormed(kind: IdKindName, ids: readonly string[]): void {
  const { prefix, malformed } = ID_KINDS[kind];
  const bad = ids.find((id) => !id.startsWith(prefix) || id.length === prefix.length);
  if (bad !== undefined) throw awsError('ec2', malformed, `Invalid id: "${bad}"`);
}

export function notFound(kind: IdKindName, ids: readonly string[]): Error {
  const { noun, notFound: code } = ID_KINDS[kind];
  const list = ids.join(', ');
  const message =
    ids.length === 1 ? `The ${noun} '${list}' does not exist` : `The ${noun}s '${list}' do not exist`;
  return awsError('ec2', code, message);
}

/**
 * `items` with the given ids (world order), or all items when no ids are given. Unknown ids are
 * an error unless `missing: 'omit'` (DescribeImages answers them by leaving them out).
 */
export function selectByIds<T>(
  kind: IdKindName,
  items: readonly T[],
  ids: readonly string[] | undefined,
  idOf: (item: T) => string | undefined,
  missing: 'error' | 'omit' = 'error',
): T[] {
  if (!ids?.length) return [...items];
  checkWellFormed(kind, ids);
  const wanted = new Set(ids);
  const selected = items.filter((item) => wanted.has(idOf(item) ?? ''));
  if (missing === 'error') {
    const found = new Set(selected.map(idOf));
    const unknown = [...wanted].filter((id) => !found.has(id));
    if (unknown.length) throw notFound(kind, unknown);
  }
  return selected;
}

/** "You cannot specify this parameter and the … IDs parameter in the same request." */
export function rejectMaxResultsWithIds(
  input: { MaxResults?: number },
  ids: readonly string[] | undefined,
  idsParam: string,
): void {
  if (input.MaxResults !== undefined && ids?.length) {
    throw awsError(
      'ec2',
      'InvalidParameterCombination',
      `The parameter ${idsParam} cannot be used with the parameter maxResults`,
    );
  }
}

/** EC2's DryRun: the caller is allowed (the simulator has no IAM of its own), so it "would have succeeded". */
export function rejectDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) {
    throw awsError('ec2', 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  }
}

/** Most Describe* calls return everything at once unless the caller asks for pages of 5–1000. */
export const UP_TO_1000: PageLimits = { min: 5, max: 1000, defaultSize: Number.POSITIVE_INFINITY };

/** One Describe* read: ids (with their NotFound code), filters, then a page. */
export function describe<T extends object>(
  operation: string,
  items: readonly T[],
  ids: { kind: IdKindName; values: readonly string[] | undefined; of: (item: T) => string | undefined },
  input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  spec: FilterSpec<T>,
  limits: PageLimits = UP_TO_1000,
) {
  const selected = selectByIds(ids.kind, items, ids.values, ids.of);
  return ec2Page(operation, applyFilters(selected, input.Filters, spec), input, limits);
}
