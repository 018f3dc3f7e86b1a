/**
 * Placing instances in a generated account: healthy ones (Online, spread over the VPCs that can
 * reach Systems Manager, a mix of AMIs and roles) and candidates built from a scenario template,
 * tagged with the root cause they were built for.
 */
import type { World } from '../../../lambdas/sim/index.ts';
import { type InstanceShape, instance, type WorldInstance } from './aws-objects.ts';
import type { DhmcMode, IamLayout } from './iam-layout.ts';
import type { ImageSet } from './images.ts';
import { allocate, type VpcKind, type VpcLayout } from './network-layout.ts';
import { type IdMint, pick } from './random.ts';
import type { Scenario } from './scenarios.ts';

export const EXPECTED_TAG = 'ssm-doctor:bench-expected';

const DAY = 86_400_000;
const AGENTS = ['3.3.2299.0', '3.3.1957.0', '3.3.1802.0', '3.3.1611.0'];

/** The account being generated and what placement needs to know about it. */
export interface Build {
  world: World;
  ids: IdMint;
  random: () => number;
  now: number;
  iam: IamLayout;
  images: ImageSet;
  byKind: Map<VpcKind, VpcLayout[]>;
  groupNames: Map<string, string>;
  publicIps: number;
}

/** A healthy-looking instance in `vpc`: private subnet, app group, a fleet profile. */
function baseShape(build: Build, vpc: VpcLayout, serial: number, launchedDaysAgo: number): InstanceShape {
  const subnets = vpc.subnets.private ?? [];
  const subnet = pick(subnets, serial);
  const image = build.random() < 0.2 ? build.images.al2023Arm : build.images.al2023;
  return {
    id: build.ids.next('i'),
    name: `app-${serial}`,
    ownerId: build.world.accountId,
    region: build.world.region,
    imageId: image.id,
    instanceType: image.architecture === 'arm64' ? 'm7g.large' : 'm6i.large',
    architecture: image.architecture,
    windows: false,
    platformDetails: image.platformDetails,
    launchTime: new Date(build.now - launchedDaysAgo * DAY).toISOString(),
    az: subnet.az,
    vpcId: vpc.id,
    subnetId: subnet.id,
    privateIp: '',
    groups: [{ GroupId: vpc.groups.app, GroupName: '' }],
    // Teams pick roles independently of where they run: spread over the whole fleet of roles.
    profile: pick(build.iam.fleet, Math.floor(build.random() * build.iam.fleet.length)),
  };
}

export function addCandidate(build: Build, scenario: Scenario, occurrence: number): WorldInstance {
  const vpcs = scenario.vpc.flatMap((kind) => build.byKind.get(kind) ?? []);
  const vpc = pick(vpcs, occurrence);
  const daysAgo = 1 + Math.floor(build.random() * 600);
  let shape = baseShape(build, vpc, occurrence, daysAgo);
  shape = scenario.shape?.(shape, { iam: build.iam, images: build.images, vpc, occurrence }) ?? shape;
  const subnet = pick(vpc.subnets[scenario.subnet] ?? [], occurrence);
  const name = `${scenario.expected.toLowerCase().replaceAll('_', '-')}-${occurrence}`;
  const item = instance({
    ...shape,
    name,
    az: subnet.az,
    subnetId: subnet.id,
    privateIp: allocate(subnet),
    groups: shape.groups.map((g) => ({
      GroupId: g.GroupId,
      GroupName: build.groupNames.get(g.GroupId) ?? g.GroupId,
    })),
    tags: { [EXPECTED_TAG]: scenario.expected, team: 'platform' },
  });
  const { world } = build;
  if (scenario.agent)
    register(build, item, 'ConnectionLost', scenario.agent, 2 + Math.floor(build.random() * 20 * 24) * 60);
  if (scenario.impaired) {
    world.ec2.InstanceStatuses.push({
      InstanceId: item.InstanceId,
      AvailabilityZone: subnet.az,
      InstanceState: { Code: 16, Name: 'running' },
      InstanceStatus: {
        Status: 'impaired',
        Details: [
          {
            Name: 'reachability',
            Status: 'failed',
            ImpairedSince: new Date(build.now - 3 * 3600_000).toISOString(),
          },
        ],
      },
      SystemStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
    });
  }
  if (scenario.console) world.ec2.ConsoleOutput[item.InstanceId] = scenario.console;
  if (scenario.metadataNoToken !== undefined)
    world.cloudwatch.MetadataNoToken[item.InstanceId] = scenario.metadataNoToken;
  return item;
}

export function addHealthy(
  build: Build,
  vpcs: readonly VpcLayout[],
  serial: number,
  dhmc: DhmcMode,
  state: 'running' | 'stopped' | 'pending' = 'running',
): WorldInstance {
  const vpc = pick(vpcs, serial);
  const daysAgo = state === 'pending' ? 0 : 1 + Math.floor(build.random() * 700);
  let shape = baseShape(build, vpc, Math.floor(serial / vpcs.length), daysAgo);
  const roll = build.random();
  const { images } = build;
  if (roll < 0.1)
    shape = {
      ...shape,
      imageId: images.windows.id,
      windows: true,
      platformDetails: 'Windows',
      instanceType: 'm6i.xlarge',
      architecture: 'x86_64',
    };
  else if (roll < 0.25)
    shape = {
      ...shape,
      imageId: images.ubuntu.id,
      instanceType: 'c6i.large',
      architecture: 'x86_64',
      platformDetails: 'Linux/UNIX',
    };
  else if (roll < 0.35)
    shape = {
      ...shape,
      imageId: images.golden.id,
      instanceType: 'r6i.large',
      architecture: 'x86_64',
      platformDetails: 'Linux/UNIX',
    };
  // One in five internet-facing instances sits in a public subnet with a public address.
  const publicSubnets = vpc.subnets.public;
  const isPublic = publicSubnets !== undefined && serial % 5 === 0;
  const subnet = isPublic ? pick(publicSubnets, serial) : pick(vpc.subnets.private ?? [], serial);
  // With a working DHMC some instances need no profile at all.
  const noProfile = dhmc === 'valid' && serial % 25 === 7;
  const { profile: _profile, ...withoutProfile } = shape;
  const item = instance({
    ...(noProfile ? withoutProfile : shape),
    name: `${state === 'running' ? '' : `${state}-`}${isPublic ? 'web' : shape.windows ? 'win' : 'app'}-${String(serial).padStart(5, '0')}`,
    az: subnet.az,
    subnetId: subnet.id,
    privateIp: allocate(subnet),
    ...(isPublic ? { publicIp: nextPublicIp(build) } : {}),
    groups: [vpc.groups[isPublic ? 'web' : 'app']].map((GroupId) => ({
      GroupId,
      GroupName: build.groupNames.get(GroupId) ?? GroupId,
    })),
    ...(state === 'pending' ? { launchTime: new Date(build.now - 40_000).toISOString() } : {}),
    state,
    tags: { team: pick(['payments', 'search', 'data', 'platform', 'web'], serial) },
  });
  if (state === 'running')
    register(build, item, 'Online', pick(AGENTS, serial), Math.floor(build.random() * 300));
  else if (state === 'stopped') register(build, item, 'ConnectionLost', pick(AGENTS, serial), 3 * 24 * 3600);
  return item;
}

function nextPublicIp(build: Build): string {
  const n = build.publicIps++;
  return `3.${248 + Math.floor(n / 65_536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

function register(
  build: Build,
  item: WorldInstance,
  ping: 'Online' | 'ConnectionLost',
  agent: string,
  secondsAgo: number,
) {
  const windows = item.Platform === ('windows' as WorldInstance['Platform']);
  const { images } = build;
  const image =
    item.ImageId === images.al2.id
      ? ['Amazon Linux', '2']
      : item.ImageId === images.ubuntu.id
        ? ['Ubuntu', '24.04']
        : ['Amazon Linux', '2023'];
  build.world.ssm.InstanceInformationList.push({
    InstanceId: item.InstanceId,
    PingStatus: ping,
    LastPingDateTime: new Date(build.now - secondsAgo * 1000).toISOString(),
    AgentVersion: agent,
    IsLatestVersion: agent === AGENTS[0],
    PlatformType: windows ? 'Windows' : 'Linux',
    PlatformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : image[0],
    PlatformVersion: windows ? '10.0.20348' : image[1],
    ResourceType: 'EC2Instance',
    IPAddress: item.PrivateIpAddress,
    ComputerName: item.PrivateDnsName,
    AssociationStatus: 'Success',
    SourceId: item.InstanceId,
    SourceType: 'AWS::EC2::Instance',
  });
}
