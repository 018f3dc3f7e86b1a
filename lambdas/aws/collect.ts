/**
 * Builds every candidate's facts for one batch. Each kind of fact is read once for the batch and
 * shared: network per VPC, IAM per profile and role, DHMC once (or handed in, once per run).
 */
import { CORE_ACTIONS, DHMC_POLICIES, PROFILE_POLICIES } from '../engine/checks/credentials/grants.ts';
import type { Candidate, DhmcPicture, InstanceFacts } from '../engine/facts.ts';
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

export async function collectFacts(
  clients: FactClients,
  run: RunContext,
  candidates: readonly Candidate[],
  dhmc: Readout<DhmcPicture>,
): Promise<InstanceFacts[]> {
  const ids = candidates.map((c) => c.instance.InstanceId ?? '');
  const iam = new IamReader(clients.iam, PROFILE_ROLE_REQUIREMENT);
  const imdsIds = candidates
    .filter((c) => needsImdsUsage(c, run.settings))
    .map((c) => c.instance.InstanceId ?? '');
  const [network, statuses, images, profiles, dhmcPicture, usage] = await Promise.all([
    collectNetworkPictures(clients, run.region, candidates, run.accountId),
    readStatuses(clients.ec2, ids),
    readImages(clients.ec2, unique(candidates.map((c) => c.instance.ImageId))),
    iam.profiles(unique(candidates.map((c) => c.instance.IamInstanceProfile?.Arn)), (profileArn) => {
      const user = candidates.find((c) => c.instance.IamInstanceProfile?.Arn === profileArn)?.instance
        .InstanceId;
      return user ? `arn:${run.partition}:ec2:${run.region}:${run.accountId}:instance/${user}` : undefined;
    }),
    dhmc,
    imdsIds.length
      ? readMetadataNoToken(clients.cloudwatch, imdsIds, run.now, run.settings.imdsV1LookbackDays)
      : new Map(),
  ]);
  return candidates.map((candidate) => {
    const { instance } = candidate;
    const id = instance.InstanceId ?? '';
    const profileArn = instance.IamInstanceProfile?.Arn;
    const vpc = network.get(instance.VpcId ?? '');
    const facts: InstanceFacts = {
      region: run.region,
      partition: run.partition,
      accountId: run.accountId,
      candidate,
      status: statuses.get(id) ?? readOk(undefined),
      image: images.get(instance.ImageId ?? '') ?? readOk(undefined),
      network: vpc ?? noNetwork(instance.VpcId),
      profile: profileArn ? (profiles.get(profileArn) ?? missingKey('GetInstanceProfile', profileArn)) : null,
      dhmc: dhmcPicture,
    };
    const noToken = usage.get(id);
    if (noToken) facts.metadataNoToken = noToken;
    return facts;
  });
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
