/**
 * EC2 reads about instances: DescribeInstances (grouped in reservations), DescribeInstanceStatus,
 * DescribeImages, GetConsoleOutput and DescribeIamInstanceProfileAssociations.
 */
import type {
  DescribeIamInstanceProfileAssociationsRequest,
  DescribeImagesRequest,
  DescribeInstanceStatusRequest,
  DescribeInstancesRequest,
  GetConsoleOutputRequest,
} from '@aws-sdk/client-ec2';
import type { Handlers, SimContext } from './context.ts';
import { notFound, rejectMaxResultsWithIds, selectByIds } from './ec2-lookup.ts';
import { awsError } from './errors.ts';
import { applyFilters, type FilterSpec } from './filters.ts';
import { hexId } from './ids.ts';
import { ec2Page } from './pagination.ts';
import type { World } from './world-schema.ts';
import type { WorldInstance } from './world-types.ts';

/** EC2's numeric state codes (the low byte AWS documents). */
const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const stateOf = (i: WorldInstance) => ({ Code: STATE_CODES[i.State.Name], ...i.State });

/** Instances without a `ReservationId` of ours each get a reservation of their own. */
export const reservationIdOf = (i: WorldInstance) =>
  i.ReservationId ?? `r-${hexId(`reservation|${i.InstanceId}`)}`;

/** The association id of an instance's profile, stable for the same instance and profile. */
export const associationIdOf = (instanceId: string, profileArn: string) =>
  `iip-assoc-${hexId(`${instanceId}|${profileArn}`)}`;

const INSTANCE_FILTERS: FilterSpec<WorldInstance> = {
  'instance-id': (i) => i.InstanceId,
  'instance-state-name': (i) => i.State.Name,
  'instance-state-code': (i) => stateOf(i).Code,
  'instance-type': (i) => i.InstanceType,
  'vpc-id': (i) => i.VpcId,
  'subnet-id': (i) => i.SubnetId,
  'image-id': (i) => i.ImageId,
  'reservation-id': reservationIdOf,
  platform: (i) => i.Platform,
  'platform-details': (i) => i.PlatformDetails,
  architecture: (i) => i.Architecture,
  'availability-zone': (i) => i.Placement?.AvailabilityZone,
  'private-ip-address': (i) => i.PrivateIpAddress,
  'ip-address': (i) => i.PublicIpAddress,
  'private-dns-name': (i) => i.PrivateDnsName,
  'key-name': (i) => i.KeyName,
  'launch-time': (i) => i.LaunchTime,
  'iam-instance-profile.arn': (i) => i.IamInstanceProfile?.Arn,
  'iam-instance-profile.id': (i) => i.IamInstanceProfile?.Id,
  'instance.group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
  'instance.group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
  'network-interface.network-interface-id': (i) =>
    (i.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId),
  'metadata-options.http-tokens': (i) => i.MetadataOptions?.HttpTokens,
  'metadata-options.http-endpoint': (i) => i.MetadataOptions?.HttpEndpoint,
};

function describeInstances(input: DescribeInstancesRequest, ctx: SimContext) {
  rejectMaxResultsWithIds(input, input.InstanceIds, 'instancesSet');
  const selected = selectByIds('instance', ctx.world.ec2.Instances, input.InstanceIds, (i) => i.InstanceId);
  const filtered = applyFilters(selected, input.Filters, INSTANCE_FILTERS);
  const { items, NextToken } = ec2Page('DescribeInstances', filtered, input, {
    min: 5,
    max: 1000,
    defaultSize: 1000,
  });
  // Pages count instances; instances of one reservation on the same page share its entry.
  const reservations = new Map<
    string,
    { ReservationId: string; OwnerId: string; Groups: []; Instances: object[] }
  >();
  for (const instance of items) {
    const id = reservationIdOf(instance);
    const reservation = reservations.get(id) ?? {
      ReservationId: id,
      OwnerId: ctx.accountId,
      Groups: [],
      Instances: [],
    };
    reservation.Instances.push({ ...instance, State: stateOf(instance) });
    reservations.set(id, reservation);
  }
  return { Reservations: [...reservations.values()], NextToken };
}

type StatusItem = ReturnType<typeof statusOf>;

const STATUS_FILTERS: FilterSpec<StatusItem> = {
  'availability-zone': (s) => s.AvailabilityZone,
  'instance-state-name': (s) => s.InstanceState.Name,
  'instance-state-code': (s) => s.InstanceState.Code,
  'instance-status.status': (s) => s.InstanceStatus?.Status,
  'instance-status.reachability': (s) => (s.InstanceStatus?.Details ?? []).map((d) => d.Status),
  'system-status.status': (s) => s.SystemStatus?.Status,
  'system-status.reachability': (s) => (s.SystemStatus?.Details ?? []).map((d) => d.Status),
  'event.code': (s) => (s.Events ?? []).map((e) => e.Code),
};

/** The world's status entry over AWS's defaults: ok/ok for a running instance, else not-applicable. */
function statusOf(world: World, instance: WorldInstance) {
  const running = instance.State.Name === 'running';
  const summary = running
    ? { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] }
    : { Status: 'not-applicable' };
  const entry = world.ec2.InstanceStatuses.find((s) => s.InstanceId === instance.InstanceId);
  return {
    InstanceId: instance.InstanceId,
    AvailabilityZone: instance.Placement?.AvailabilityZone,
    InstanceStatus: summary,
    SystemStatus: summary,
    ...entry,
    InstanceState: stateOf(instance),
  };
}

function describeInstanceStatus(input: DescribeInstanceStatusRequest, ctx: SimContext) {
  rejectMaxResultsWithIds(input, input.InstanceIds, 'instancesSet');
  const selected = selectByIds('instance', ctx.world.ec2.Instances, input.InstanceIds, (i) => i.InstanceId);
  const shown = input.IncludeAllInstances ? selected : selected.filter((i) => i.State.Name === 'running');
  const statuses = applyFilters(
    shown.map((i) => statusOf(ctx.world, i)),
    input.Filters,
    STATUS_FILTERS,
  );
  const { items, NextToken } = ec2Page('DescribeInstanceStatus', statuses, input, {
    min: 5,
    max: 1000,
    defaultSize: 1000,
  });
  return { InstanceStatuses: items, NextToken };
}

type WorldImage = World['ec2']['Images'][number];

const IMAGE_FILTERS: FilterSpec<WorldImage> = {
  'image-id': (i) => i.ImageId,
  name: (i) => i.Name,
  description: (i) => i.Description,
  state: (i) => i.State,
  'owner-id': (i) => i.OwnerId,
  'owner-alias': (i) => i.ImageOwnerAlias,
  platform: (i) => i.Platform,
  'platform-details': (i) => i.PlatformDetails,
  architecture: (i) => i.Architecture,
  'image-type': (i) => i.ImageType,
  'is-public': (i) => i.Public,
};

/**
 * Deprecated AMIs of other owners appear only when asked for by ImageIds or with
 * IncludeDeprecated; their owner always sees them (AMI deprecation, EC2 User Guide).
 */
function hiddenAsDeprecated(input: DescribeImagesRequest, ctx: SimContext, image: WorldImage): boolean {
  if (input.IncludeDeprecated || input.ImageIds?.length || image.OwnerId === ctx.accountId) return false;
  const since = image.DeprecationTime ? Date.parse(image.DeprecationTime) : Number.NaN;
  return !Number.isNaN(since) && since <= ctx.now().getTime();
}

/**
 * An id the world does not list is left out of the answer instead of failing: a world lists the
 * images visible to the account, and EC2 answers an image that was deregistered or is no longer
 * shared with an empty list. (For ids that never existed EC2 may say InvalidAMIID.NotFound;
 * adapters must treat both answers as "not visible".)
 */
function describeImages(input: DescribeImagesRequest, ctx: SimContext) {
  let images = selectByIds('image', ctx.world.ec2.Images, input.ImageIds, (i) => i.ImageId, 'omit').filter(
    (image) => !hiddenAsDeprecated(input, ctx, image),
  );
  if (input.Owners?.length) {
    const owners = new Set(input.Owners.map((o) => (o === 'self' ? ctx.accountId : o)));
    images = images.filter((i) => owners.has(i.OwnerId ?? '') || owners.has(i.ImageOwnerAlias ?? ''));
  }
  const filtered = applyFilters(images, input.Filters, IMAGE_FILTERS);
  const { items, NextToken } = ec2Page('DescribeImages', filtered, input, {
    min: 1,
    max: 1000,
    defaultSize: Number.POSITIVE_INFINITY,
  });
  return { Images: items, NextToken };
}

// Xen-based families: EC2 refuses `Latest` there (only the last boot's buffer exists).
const XEN_FAMILIES = new Set(
  'a1 c1 c3 c4 cc2 cr1 d2 f1 g2 g3 g3s h1 hs1 i2 i3 m1 m2 m3 m4 p2 p3 r3 r4 t1 t2 x1 x1e'.split(' '),
);

function getConsoleOutput(input: GetConsoleOutputRequest, ctx: SimContext) {
  const id = input.InstanceId ?? '';
  const [instance] = selectByIds('instance', ctx.world.ec2.Instances, [id], (i) => i.InstanceId);
  const family = String(instance?.InstanceType ?? '').split('.')[0] ?? '';
  if (input.Latest && XEN_FAMILIES.has(family)) {
    throw awsError(
      'ec2',
      'UnsupportedOperation',
      'The latest console output is only available on instances built on the Nitro System.',
    );
  }
  const text = ctx.world.ec2.ConsoleOutput[id];
  return {
    InstanceId: id,
    Timestamp: ctx.now().toISOString(),
    // AWS returns the console text base64-encoded; an instance with none has no Output.
    ...(text ? { Output: Buffer.from(text, 'utf8').toString('base64') } : {}),
  };
}

export function profileAssociations(ctx: SimContext) {
  return ctx.world.ec2.Instances.filter(
    (i) => i.IamInstanceProfile?.Arn && i.State.Name !== 'terminated',
  ).map((i) => {
    const profile = i.IamInstanceProfile as { Arn: string; Id?: string };
    return {
      AssociationId: associationIdOf(i.InstanceId, profile.Arn),
      InstanceId: i.InstanceId,
      IamInstanceProfile: { Arn: profile.Arn, Id: profile.Id },
      State: 'associated',
    };
  });
}

function describeIamInstanceProfileAssociations(
  input: DescribeIamInstanceProfileAssociationsRequest,
  ctx: SimContext,
) {
  const all = profileAssociations(ctx);
  const selected = selectByIds('association', all, input.AssociationIds, (a) => a.AssociationId);
  const filtered = applyFilters(selected, input.Filters, {
    'instance-id': (a) => a.InstanceId,
    state: (a) => a.State,
  });
  const { items, NextToken } = ec2Page('DescribeIamInstanceProfileAssociations', filtered, input);
  return { IamInstanceProfileAssociations: items, NextToken };
}

export function requireInstance(ctx: SimContext, instanceId: string | undefined): WorldInstance {
  const instance = ctx.world.ec2.Instances.find((i) => i.InstanceId === instanceId);
  if (!instance) throw notFound('instance', [instanceId ?? '']);
  return instance;
}

export const ec2InstanceHandlers: Handlers = {
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  DescribeImages: describeImages,
  GetConsoleOutput: getConsoleOutput,
  DescribeIamInstanceProfileAssociations: describeIamInstanceProfileAssociations,
};
