/**
 * `Start run`: take the lock, read the settings, discover, collect what the candidates share
 * once for the whole run (network per VPC, statuses, images, IAM, DHMC, IMDSv1 usage), and hand
 * each batch its candidates with the slice of those facts it uses (a work object per batch).
 * Candidates are ordered by VPC, then instance profile, so each batch's slice spans few VPCs
 * and roles.
 */
import { randomUUID } from 'node:crypto';
import { collectSharedFacts, readRunDhmc, sliceFor } from '../../aws/collect.ts';
import { type InstanceShape, readInventory } from '../../aws/inventory.ts';
import { mapBounded } from '../../aws/paging.ts';
import { readRunSettings } from '../../aws/settings.ts';
import { batchesOf, type Discovery, discover } from '../../engine/discovery.ts';
import type { Candidate } from '../../engine/facts.ts';
import type { Settings } from '../../engine/settings.ts';
import { IGNORE_TAG, OPT_OUT_TAG } from '../../engine/tags.ts';
import type { StartRunInput, StartRunOutput } from '../contract.ts';
import { LOCK_SECONDS, type StageDeps } from '../deps.ts';
import type { BatchObject, CandidateRef, RunMeta } from '../run-data.ts';
import { stillRunning } from '../still-running.ts';
import { batchObject, WorkObjects } from '../work-objects.ts';

/** Batch objects put at once: S3 takes thousands of PUTs a second per prefix; this bounds memory. */
const WORK_WRITES_AT_ONCE = 8;

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
    const discovery = await discoverRegion(deps, settings, now);
    const { summary } = discovery;
    const candidates = (
      await stillRunning(deps, runId, discovery.candidates, (c) => c.instance.InstanceId ?? '')
    ).map(({ item, instance }) => ({ ...item, instance }));
    const batches = batchesOf([...candidates].sort(byVpcThenProfile), deps.batchSize);
    const run = { ...identity, region: deps.clients.region, now, settings };
    const [shared, dhmc] = candidates.length
      ? await Promise.all([collectSharedFacts(deps.clients, run, candidates), readRunDhmc(deps.clients)])
      : [undefined, undefined];
    const work = new WorkObjects(deps.clients.s3, deps.env.REPORT_BUCKET, runId);
    if (shared) {
      await mapBounded(
        batches.map((batch, i) => ({ batch, i })),
        WORK_WRITES_AT_ONCE,
        ({ batch, i }) =>
          work.put(batchObject(i), {
            candidates: batch.map(refOf),
            facts: sliceFor(shared, batch),
          } satisfies BatchObject),
      );
    }
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
      ...(dhmc ? { dhmc } : {}),
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
 * Discovery of the whole region. A large region's instances do not all fit in memory whole: it
 * reads what it judges by, and only the candidates are read again in full (what their shared
 * facts need). Only its result outlives the call: the inventory (at 100,000 instances, ~120 MB of
 * instances and registrations) is garbage before the candidates' facts are read.
 */
async function discoverRegion(
  deps: StageDeps<'start-run'>,
  settings: Settings,
  now: Date,
): Promise<Discovery> {
  const inventory = await readInventory(deps.clients, undefined, { shape: discoveryProbe });
  const discovery = discover(inventory.instances, inventory.registrations, settings, now);
  // The inventory's own errors (discovery fell back to the slower registration listing) are the run's too.
  return { ...discovery, errors: [...inventory.errors, ...discovery.errors] };
}

/** The tags discovery reads (any case, as `engine/tags.ts` matches them): the name and the steering tags. */
const JUDGED_TAGS = new Set(['name', OPT_OUT_TAG, IGNORE_TAG]);

/**
 * What discovery judges an instance by (`engine/discovery.ts`): its id, state name, the tags it
 * reads, whether a service operates it, launch time. Nothing more is held per instance: a real
 * fleet's tags (dozens an instance) would otherwise outweigh the rest.
 */
const discoveryProbe: InstanceShape = ({ InstanceId, State, Tags, Operator, LaunchTime }) => ({
  InstanceId,
  State: { Name: State?.Name },
  Tags: Tags?.filter((tag) => JUDGED_TAGS.has(tag.Key?.toLowerCase() ?? '')),
  ...(Operator ? { Operator: { Managed: Operator.Managed } } : {}),
  LaunchTime,
});

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

function byVpcThenProfile(a: Candidate, b: Candidate): number {
  const key = (c: Candidate) =>
    `${c.instance.VpcId ?? ''}|${c.instance.IamInstanceProfile?.Arn ?? ''}|${c.instance.InstanceId}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
