/**
 * `Diagnose batch`: take the batch `Start run` handed on (its candidates and the slice of the
 * run's shared facts they use), re-read the instances (one that stopped or vanished since
 * discovery drops out), diagnose, and hand the findings on as one object. Its own AWS reads are
 * the instances and the console output of those the checks could not explain.
 *
 * A failed attempt records its error (`FAILED#<n>`) before it fails: if the workflow's retries
 * run out, the report lists the batch's instances as not diagnosed this run, with that error.
 */
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { Candidate } from '../../engine/facts.ts';
import { diagnoseCandidates } from '../../pipeline/diagnose-candidates.ts';
import type { DiagnoseBatchInput, DiagnoseBatchOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import type { BatchDone, BatchFailed, BatchObject, FindingsObject, RunMeta } from '../run-data.ts';
import { stillRunning } from '../still-running.ts';
import { batchDoneKey, batchFailedKey } from '../store.ts';
import { batchObject, findingsObject, WorkObjects } from '../work-objects.ts';

export async function diagnoseBatch(
  deps: StageDeps<'diagnose-batch'>,
  input: DiagnoseBatchInput,
): Promise<DiagnoseBatchOutput> {
  try {
    return await diagnose(deps, input);
  } catch (error) {
    const failed: BatchFailed = {
      batchIndex: input.batchIndex,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      at: deps.clock().toISOString(),
    };
    // Best effort: the error is what the report shows; failing to keep it must not hide the first one.
    await deps.store.putRunItem(input.runId, batchFailedKey(input.batchIndex), failed).catch(() => undefined);
    throw error;
  }
}

async function diagnose(deps: StageDeps<'diagnose-batch'>, input: DiagnoseBatchInput) {
  const meta = await deps.store.getRunItem<RunMeta>(input.runId, 'META');
  // Start run reads DHMC once for the whole run, and only writes batches when there are candidates.
  if (!meta.dhmc)
    throw new Error(`Run ${input.runId} has batches but no DHMC picture: Start run did not finish.`);
  const work = new WorkObjects(deps.clients.s3, deps.env.REPORT_BUCKET, input.runId);
  const batch = await work.get<BatchObject>(batchObject(input.batchIndex));
  const candidates: Candidate[] = (
    await stillRunning(deps, input.runId, batch.candidates, (ref) => ref.instanceId)
  ).map(({ item: ref, instance }) => ({
    instance,
    ssmStatus: ref.ssmStatus,
    ...(ref.information ? { information: ref.information as InstanceInformation } : {}),
  }));
  const run = { ...meta.identity, region: meta.region, now: deps.clock(), settings: meta.settings };
  const { findings, subjects } = await diagnoseCandidates(
    deps.clients.ec2,
    run,
    candidates,
    batch.facts,
    meta.dhmc,
  );
  await work.put(findingsObject(input.batchIndex), {
    items: findings.map((finding, i) => ({ finding, subject: subjects[i] })),
  } as FindingsObject);
  await deps.store.putRunItem(input.runId, batchDoneKey(input.batchIndex), {
    batchIndex: input.batchIndex,
    findings: findings.length,
    dropped: batch.candidates.length - candidates.length,
  } satisfies BatchDone);
  return { batchIndex: input.batchIndex, findings: findings.length };
}
