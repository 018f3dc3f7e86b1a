/**
 * Builds every candidate's facts. Each kind of fact is read once for all the candidates it is
 * asked for and shared: network per VPC, IAM per profile and role, DHMC once (handed in).
 */

import type { Image, InstanceStatus } from '@aws-sdk/client-ec2';
import { CORE_ACTIONS, DHMC_POLICIES, PROFILE_POLICIES } from '../engine/checks/credentials/grants.ts';
import type {
  Candidate,
  DhmcPicture,
  InstanceFacts,
  NetworkPicture,
  ProfilePicture,
} from '../engine/facts.ts';
import { type Readout, readOk } from '../engine/readout.ts';
import type { RunContext } from '../engine/run-context.ts';
import type { Settings } from '../engine/settings.ts';
import type { AwsClients } from './clients.ts';
import { readDhmc } from './dhmc.ts';
import { IamReader, type RoleRequirement } from './iam.ts';
import { readImages, readMetadataNoToken, readStatuses } from './instance.ts';
import { collectNetworkPictures, unique } from './network.ts';
import { missingKey } from './paging.ts';

export const PROFILE_ROLE_REQUIREMENT: RoleRequirement = {
  actions: CORE_ACTIONS,
  sufficientPolicies: PROFILE_POLICIES,
};
export const DHMC_ROLE_REQUIREMENT: RoleRequirement = {
  actions: CORE_ACTIONS,
  sufficientPolicies: DHMC_POLICIES,
};

export function readRunDhmc(clients: Pick<AwsClients, 'ssm' | 'iam'>): Promise<Readout<DhmcPicture>> {
  return readDhmc(clients.ssm, new IamReader(clients.iam, PROFILE_ROLE_REQUIREMENT), DHMC_ROLE_REQUIREMENT);
}

/** IMDSv1 usage matters only where the IMDSv2 fix could run for `HttpTokens=optional`. */
function needsImdsUsage(candidate: Candidate, settings: Settings): boolean {
  const options = candidate.instance.MetadataOptions;
  return (
    settings.remediationMode !== 'off' &&
    settings.enforceImdsV2 &&
    options?.HttpTokens === 'optional' &&
    options.HttpEndpoint !== 'disabled'
  );
}

/** The clients fact collection uses: DHMC is read once per run beforehand and handed in. */
export type FactClients = Pick<AwsClients, 'ec2' | 'iam' | 'cloudwatch' | 'route53' | 'route53resolver'>;

/**
 * What candidates share, each read once for all of them: the network picture per VPC, the
 * statuses, the images, IAM per profile, IMDSv1 usage. The CLI collects it for its whole scan;
 * the workflow once per run in `Start run`, and hands each batch the slice it uses (`sliceFor`).
 */
export interface SharedFacts {
  network: Map<string, NetworkPicture>;
  statuses: Map<string, Readout<InstanceStatus | undefined>>;
  images: Map<string, Readout<Image | undefined>>;
  profiles: Map<string, Readout<ProfilePicture>>;
  metadataNoToken: Map<string, Readout<number>>;
}

export async function collectSharedFacts(
  clients: FactClients,
  run: RunContext,
  candidates: readonly Candidate[],
): Promise<SharedFacts> {
  const ids = candidates.map((c) => c.instance.InstanceId ?? '');
  const iam = new IamReader(clients.iam, PROFILE_ROLE_REQUIREMENT);
  const imdsIds = candidates
    .filter((c) => needsImdsUsage(c, run.settings))
    .map((c) => c.instance.InstanceId ?? '');
  // A profile's simulation names one of its instances as the caller (ec2:SourceInstanceARN).
  const userOf = new Map<string, string>();
  for (const c of candidates) {
    const arn = c.instance.IamInstanceProfile?.Arn;
    if (arn && !userOf.has(arn)) userOf.set(arn, c.instance.InstanceId ?? '');
  }
  const [network, statuses, images, profiles, metadataNoToken] = await Promise.all([
    collectNetworkPictures(clients, run.region, candidates, run.accountId),
    readStatuses(clients.ec2, ids),
    readImages(clients.ec2, unique(candidates.map((c) => c.instance.ImageId))),
    iam.profiles(unique(candidates.map((c) => c.instance.IamInstanceProfile?.Arn)), (profileArn) => {
      const user = userOf.get(profileArn);
      return user ? `arn:${run.partition}:ec2:${run.region}:${run.accountId}:instance/${user}` : undefined;
    }),
    imdsIds.length
      ? readMetadataNoToken(clients.cloudwatch, imdsIds, run.now, run.settings.imdsV1LookbackDays)
      : new Map<string, Readout<number>>(),
  ]);
  return { network, statuses, images, profiles, metadataNoToken };
}

/** The part of the shared facts these candidates use: what one workflow batch is handed. */
export function sliceFor(shared: SharedFacts, candidates: readonly Candidate[]): SharedFacts {
  const pick = <T>(from: Map<string, T>, keys: (string | undefined)[]) => {
    const out = new Map<string, T>();
    for (const key of keys) {
      const value = key === undefined ? undefined : from.get(key);
      if (key !== undefined && value !== undefined) out.set(key, value);
    }
    return out;
  };
  const ids = candidates.map((c) => c.instance.InstanceId);
  return {
    network: pick(
      shared.network,
      candidates.map((c) => c.instance.VpcId),
    ),
    statuses: pick(shared.statuses, ids),
    images: pick(
      shared.images,
      candidates.map((c) => c.instance.ImageId),
    ),
    profiles: pick(
      shared.profiles,
      candidates.map((c) => c.instance.IamInstanceProfile?.Arn),
    ),
    metadataNoToken: pick(shared.metadataNoToken, ids),
  };
}

/** Each candidate's facts from what was collected for it. */
export function factsOf(
  shared: SharedFacts,
  run: RunContext,
  candidates: readonly Candidate[],
  dhmc: Readout<DhmcPicture>,
): InstanceFacts[] {
  return candidates.map((candidate) => {
    const { instance } = candidate;
    const id = instance.InstanceId ?? '';
    const profileArn = instance.IamInstanceProfile?.Arn;
    const vpc = shared.network.get(instance.VpcId ?? '');
    const facts: InstanceFacts = {
      region: run.region,
      partition: run.partition,
      accountId: run.accountId,
      candidate,
      status: shared.statuses.get(id) ?? readOk(undefined),
      image: shared.images.get(instance.ImageId ?? '') ?? readOk(undefined),
      network: vpc ?? noNetwork(instance.VpcId),
      profile: profileArn
        ? (shared.profiles.get(profileArn) ?? missingKey('GetInstanceProfile', profileArn))
        : null,
      dhmc,
    };
    const noToken = shared.metadataNoToken.get(id);
    if (noToken) facts.metadataNoToken = noToken;
    return facts;
  });
}

export async function collectFacts(
  clients: FactClients,
  run: RunContext,
  candidates: readonly Candidate[],
  dhmc: Readout<DhmcPicture>,
): Promise<InstanceFacts[]> {
  return factsOf(await collectSharedFacts(clients, run, candidates), run, candidates, dhmc);
}

/** An instance with no VPC (or one that vanished): every network fact is a problem, not a guess. */
function noNetwork(vpcId: string | undefined) {
  const problem = missingKey(
    'DescribeVpcs',
    vpcId ? `VPC ${vpcId}` : 'the instance VPC (the instance has none)',
  );
  return {
    vpc: problem,
    dnsAttributes: problem,
    subnets: problem,
    routeTables: problem,
    internetGateways: problem,
    natGateways: problem,
    endpoints: problem,
    endpointInterfaces: problem,
    securityGroups: problem,
    networkAcls: problem,
    dhcpOptions: problem,
  };
}
