/**
 * `Start run`: take the lock, read the settings, discover, and write the candidates in batches.
 * Candidates are ordered by instance profile, then VPC, so each batch touches few roles and VPCs
 * and its deduplicated IAM and network pictures stay small.
 */
import { randomUUID } from 'node:crypto';
import { readRunDhmc } from '../../aws/collect.ts';
import { readIdentity } from '../../aws/identity.ts';
import { readInventory } from '../../aws/inventory.ts';
import { batchesOf, discover } from '../../engine/discovery.ts';
import type { Candidate } from '../../engine/facts.ts';
import { instancesByProfile } from '../../engine/fleet.ts';
import { optedOutInstances } from '../../engine/remediation/plan.ts';
import type { StartRunInput, StartRunOutput } from '../../handlers/contract.ts';
import { LOCK_SECONDS, type StageDeps } from '../deps.ts';
import type { BatchItem, CandidateRef, RunMeta } from '../run-data.ts';
import { readSettings } from '../settings-reader.ts';
import { batchKey } from '../store.ts';

const PROFILE_USERS_KEPT = 50;

export async function startRun(deps: StageDeps, input: StartRunInput): Promise<StartRunOutput> {
  const now = deps.clock();
  const runId = `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  if (!(await deps.store.acquireLock(runId, LOCK_SECONDS))) {
    deps.log('Another run holds the lock: skipping this one', { runId, trigger: input.trigger });
    return { runId, locked: true, batches: [], candidates: 0, verifyWaitSeconds: 0 };
  }
  try {
    const { settings, errors } = await readSettings(deps.clients.ssm, deps.settingsPrefix);
    const [identity, inventory] = await Promise.all([
      readIdentity(deps.clients),
      readInventory(deps.clients),
    ]);
    const { candidates, summary } = discover(inventory.instances, inventory.registrations, settings, now);
    const batches = batchesOf([...candidates].sort(byProfileThenVpc), deps.batchSize);
    await Promise.all(
      batches.map((batch, i) =>
        deps.store.putRunItem(runId, batchKey(i), { candidates: batch.map(refOf) } satisfies BatchItem),
      ),
    );
    const users = instancesByProfile(inventory.instances);
    const profileUsers = Object.fromEntries(
      [...new Set(candidates.map((c) => c.instance.IamInstanceProfile?.Arn ?? ''))]
        .filter(Boolean)
        .map((arn) => [arn, (users.get(arn) ?? []).slice(0, PROFILE_USERS_KEPT)]),
    );
    const meta: RunMeta = {
      runId,
      startedAt: now.toISOString(),
      identity,
      region: deps.clients.region,
      settings,
      errors,
      summary,
      batchCount: batches.length,
      profileUsers,
      optedOut: [...optedOutInstances(inventory.instances)].filter((id) =>
        Object.values(profileUsers).some((users) => users.includes(id)),
      ),
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
