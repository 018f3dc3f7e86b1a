/**
 * `Start run`: take the lock, read the settings, discover, and write the candidates in batches.
 * Candidates are ordered by instance profile, then VPC, so each batch touches few roles and VPCs
 * and its deduplicated IAM and network pictures stay small.
 */
import { randomUUID } from 'node:crypto';
import type { Instance } from '@aws-sdk/client-ec2';
import { readRunDhmc } from '../../aws/collect.ts';
import { readInventory } from '../../aws/inventory.ts';
import { readRunSettings } from '../../aws/settings.ts';
import { batchesOf, discover } from '../../engine/discovery.ts';
import type { Candidate } from '../../engine/facts.ts';
import { instancesByProfile } from '../../engine/fleet.ts';
import { optedOutInstances } from '../../engine/remediation/plan.ts';
import type { StartRunInput, StartRunOutput } from '../contract.ts';
import { LOCK_SECONDS, type StageDeps } from '../deps.ts';
import type { BatchItem, CandidateRef, ProfilesItem, RunMeta } from '../run-data.ts';
import { batchKey, profilesKey } from '../store.ts';

const PROFILE_USERS_KEPT = 50;
/** A profile takes at most ~3 KB (its ARN, up to 100 ids): 100 of them stay below the 400 KB item limit. */
const PROFILES_PER_ITEM = 100;

export async function startRun(deps: StageDeps<'start-run'>, input: StartRunInput): Promise<StartRunOutput> {
  const now = deps.clock();
  const runId = input.runId ?? `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  if (!(await deps.store.acquireLock(runId, LOCK_SECONDS))) {
    deps.log('Another run holds the lock: skipping this one', { runId, trigger: input.trigger });
    return { runId, locked: true, batches: [], candidates: 0, verifyWaitSeconds: 0 };
  }
  try {
    const { settings, errors } = await readRunSettings(deps.clients.ssm, deps.env.SETTINGS_PREFIX);
    // Where the stage runs is its deployment's, not a question for STS.
    const identity = { accountId: deps.env.ACCOUNT_ID, partition: deps.env.PARTITION };
    const inventory = await readInventory(deps.clients);
    const discovery = discover(inventory.instances, inventory.registrations, settings, now);
    const { candidates, summary } = discovery;
    const batches = batchesOf([...candidates].sort(byProfileThenVpc), deps.batchSize);
    const profiles = profileItems(candidates, inventory.instances);
    await Promise.all([
      ...batches.map((batch, i) =>
        deps.store.putRunItem(runId, batchKey(i), { candidates: batch.map(refOf) } satisfies BatchItem),
      ),
      ...profiles.map((item, i) => deps.store.putRunItem(runId, profilesKey(i), item)),
    ]);
    const meta: RunMeta = {
      runId,
      startedAt: now.toISOString(),
      identity,
      region: deps.clients.region,
      settings,
      errors: [...errors, ...discovery.errors],
      summary,
      ignored: discovery.ignored,
      batchCount: batches.length,
      ...(candidates.length ? { dhmc: await readRunDhmc(deps.clients) } : {}),
    };
    await deps.store.putRunItem(runId, 'META', meta);
    deps.log('Run started', {
      runId,
      trigger: input.trigger,
      ...summary,
      batches: batches.length,
      settingErrors: errors.length,
    });
    return {
      runId,
      locked: false,
      batches: batches.map((_, i) => i),
      candidates: candidates.length,
      verifyWaitSeconds: settings.verifyWaitMinutes * 60,
    };
  } catch (error) {
    // The failure path has no run id to release with: release here, then let the workflow notify.
    await deps.store.releaseLock(runId);
    throw error;
  }
}

/**
 * Who uses each candidate's instance profile, in items of their own: with one profile per instance
 * (common with per-instance IaC modules) the list grows with the candidates, past what one item
 * holds (400 KB), so it cannot ride in META. Each profile's list is bounded, so each item is too.
 */
function profileItems(candidates: readonly Candidate[], instances: readonly Instance[]): ProfilesItem[] {
  const users = instancesByProfile(instances);
  const optedOut = optedOutInstances(instances);
  const arns = [...new Set(candidates.map((c) => c.instance.IamInstanceProfile?.Arn ?? ''))].filter(Boolean);
  return batchesOf(arns.sort(), PROFILES_PER_ITEM).map((part) => {
    const kept = Object.fromEntries(part.map((arn) => [arn, keptUsers(users.get(arn) ?? [], optedOut)]));
    const optedOutUsers = [...new Set(Object.values(kept).flat())].filter((id) => optedOut.has(id));
    return { users: kept, optedOut: optedOutUsers.sort() };
  });
}

/**
 * The users of a profile the run keeps: the first few (for the email's "also affects"), and the
 * opted-out ones wherever they sort, since one of them holds a change to the shared role back.
 */
function keptUsers(ids: readonly string[], optedOut: ReadonlySet<string>): string[] {
  let optedOutKept = 0;
  return ids.filter(
    (id, i) => i < PROFILE_USERS_KEPT || (optedOut.has(id) && optedOutKept++ < PROFILE_USERS_KEPT),
  );
}

function refOf(candidate: Candidate): CandidateRef {
  const info = candidate.information;
  return {
    instanceId: candidate.instance.InstanceId ?? '',
    ssmStatus: candidate.ssmStatus,
    ...(info
      ? {
          information: {
            InstanceId: info.InstanceId,
            PingStatus: info.PingStatus,
            AgentVersion: info.AgentVersion,
            LastPingDateTime: info.LastPingDateTime,
            PlatformType: info.PlatformType,
            PlatformName: info.PlatformName,
          },
        }
      : {}),
  };
}

function byProfileThenVpc(a: Candidate, b: Candidate): number {
  const key = (c: Candidate) =>
    `${c.instance.IamInstanceProfile?.Arn ?? ''}|${c.instance.VpcId ?? ''}|${c.instance.InstanceId}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
