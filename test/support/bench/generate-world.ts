/**
 * A deterministic account of any size for benchmarks and tests: `instances` running instances
 * over `vpcs` VPCs and `roles` instance profiles (and roles), `candidateShare` of them not managed by Systems
 * Manager, spread round-robin over one scenario template per root cause; the rest Online. Each
 * candidate carries the root cause it was built for in the tag `ssm-doctor:bench-expected`.
 */

import type { RootCause } from '../../../lambdas/engine/causes.ts';
import type { World } from '../../../lambdas/sim/index.ts';
import type { WorldInstance } from './aws-objects.ts';
import { buildIam, type DhmcMode } from './iam-layout.ts';
import { buildImages } from './images.ts';
import { buildVpc, vpcKinds } from './network-layout.ts';
import { addCandidate, addHealthy, type Build } from './placement.ts';
import { IdMint, pick, seededRandom } from './random.ts';
import { scenariosFor } from './scenarios.ts';

export { EXPECTED_TAG } from './placement.ts';

export interface GenerateOptions {
  /** Running instances. */
  instances: number;
  /** Share of them that are candidates (NotRegistered or ConnectionLost), 0 to 1. */
  candidateShare: number;
  vpcs: number;
  /** Instance profiles, each with its own role but one emptied of it; at least 4. */
  roles: number;
  seed: number;
  /** DHMC of the account (default `valid`). */
  dhmc?: DhmcMode;
  accountId?: string;
  region?: string;
  /** The simulated clock (default 2026-11-26T06:00:00Z). */
  now?: string;
}

/** The root cause each generated candidate is made to have, in the order they are made. */
export function expectedCauses(
  options: Pick<GenerateOptions, 'instances' | 'candidateShare' | 'dhmc'>,
): RootCause[] {
  const templates = scenariosFor(options.dhmc ?? 'valid');
  const candidates = Math.round(options.instances * options.candidateShare);
  return Array.from({ length: candidates }, (_, i) => pick(templates, i).expected);
}

export function generateWorld(options: GenerateOptions): World {
  const { instances, candidateShare, vpcs, roles, seed } = options;
  if (!(candidateShare >= 0 && candidateShare <= 1))
    throw new Error(`candidateShare must be 0 to 1, got ${candidateShare}`);
  if (roles < 4) throw new Error(`a generated world needs at least 4 roles, got ${roles}`);
  const dhmc = options.dhmc ?? 'valid';
  const nowIso = options.now ?? '2026-11-26T06:00:00Z';
  const world = emptyWorld(options.accountId ?? '111122223333', options.region ?? 'eu-west-1', nowIso);
  const ids = new IdMint(seed);
  const build: Build = {
    world,
    ids,
    random: seededRandom(seed),
    now: Date.parse(nowIso),
    iam: buildIam(world, roles, dhmc),
    images: buildImages(world),
    byKind: new Map(),
    groupNames: new Map(),
    publicIps: 0,
  };

  const amazonDhcp = ids.next('dopt');
  world.ec2.DhcpOptions.push({
    DhcpOptionsId: amazonDhcp,
    OwnerId: world.accountId,
    DhcpConfigurations: [
      { Key: 'domain-name', Values: [{ Value: `${world.region}.compute.internal` }] },
      { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
    ],
  });
  const network = { world, ids, region: world.region, ownerId: world.accountId, amazonDhcp };
  vpcKinds(vpcs).forEach((kind, index) => {
    const layout = buildVpc(network, index, kind);
    build.byKind.set(kind, [...(build.byKind.get(kind) ?? []), layout]);
  });
  for (const group of world.ec2.SecurityGroups)
    build.groupNames.set(group.GroupId, group.GroupName ?? group.GroupId);

  const candidates = Math.round(instances * candidateShare);
  const templates = scenariosFor(dhmc);
  const created: WorldInstance[] = [];
  for (let i = 0; i < candidates; i++) {
    const scenario = pick(templates, i);
    created.push(addCandidate(build, scenario, Math.floor(i / templates.length)));
  }
  const healthyVpcs = (['internet', 'internet-stale-endpoints', 'endpoints'] as const).flatMap(
    (kind) => build.byKind.get(kind) ?? [],
  );
  for (let i = 0; i < instances - candidates; i++) created.push(addHealthy(build, healthyVpcs, i, dhmc));
  // Stopped and pending instances are never candidates; stopped ones still have a registration.
  for (let i = 0; i < Math.ceil(instances / 50); i++) {
    const state = i % 10 === 9 ? 'pending' : 'stopped';
    const stopped = addHealthy(build, healthyVpcs, i, dhmc, state);
    created.push(stopped);
  }
  world.ec2.Instances = shuffle(created, build.random);
  return world;
}

function emptyWorld(accountId: string, region: string, now: string): World {
  return {
    format: 'ssm-doctor/world@1',
    accountId,
    region,
    now,
    ec2: {
      Instances: [],
      InstanceStatuses: [],
      Images: [],
      Vpcs: [],
      Subnets: [],
      RouteTables: [],
      InternetGateways: [],
      NatGateways: [],
      VpcEndpoints: [],
      NetworkInterfaces: [],
      SecurityGroups: [],
      NetworkAcls: [],
      DhcpOptions: [],
      ConsoleOutput: {},
    },
    ssm: { InstanceInformationList: [], ServiceSettings: [], Parameters: [] },
    iam: { InstanceProfiles: [], Roles: [], Policies: [] },
    cloudwatch: { MetadataNoToken: {} },
    route53: { HostedZones: [] },
    route53resolver: { ResolverRules: [], ResolverRuleAssociations: [] },
    simulation: { onlineAfterFix: [], faults: [] },
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
