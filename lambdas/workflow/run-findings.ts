/**
 * Reading a run's findings back, a batch at a time: which batches were diagnosed (`DONE#<n>`),
 * which were not (retries ran out: the error their last attempt recorded, or none when the
 * function was cut off), and each diagnosed batch's findings object in turn, so no stage holds
 * more than one batch of full findings.
 */
import type { FindingInstance, Remediation, RunError } from '../engine/report-model.ts';
import type { BatchDone, BatchFailed, FindingItem, FindingsObject, RunMeta } from './run-data.ts';
import type { RunStore } from './store.ts';
import { findingsObject, type WorkObjects } from './work-objects.ts';

export interface BatchOutcomes {
  done: BatchDone[];
  /** Batches with no findings this run, and why. */
  failed: { batchIndex: number; error: string }[];
}

const CUT_OFF = 'the batch did not finish: its function timed out or ran out of memory (see its log group)';

export async function batchOutcomes(store: RunStore, meta: RunMeta): Promise<BatchOutcomes> {
  const [done, failures] = await Promise.all([
    store.queryRunItems<BatchDone>(meta.runId, 'DONE#'),
    store.queryRunItems<BatchFailed>(meta.runId, 'FAILED#'),
  ]);
  const finished = new Set(done.map((d) => d.batchIndex));
  const errorOf = new Map(failures.map((f) => [f.batchIndex, f.error]));
  const failed: BatchOutcomes['failed'] = [];
  for (let i = 0; i < meta.batchCount; i++)
    if (!finished.has(i)) failed.push({ batchIndex: i, error: errorOf.get(i) ?? CUT_OFF });
  return { done: done.sort((a, b) => a.batchIndex - b.batchIndex), failed };
}

/** The findings of each diagnosed batch, one batch per page. */
export async function* findingPages(
  work: WorkObjects,
  done: readonly BatchDone[],
): AsyncGenerator<FindingItem[]> {
  for (const batch of done) {
    if (!batch.findings) continue;
    const page = await work.get<FindingsObject>(findingsObject(batch.batchIndex));
    yield page.items;
  }
}

/** What `Plan and apply fixes` hands on (`remediations`): every finding's remediations, by instance. */
export interface RemediationsObject {
  byInstance: Record<string, { remediations: Remediation[]; platform: FindingInstance['platform'] }>;
  /** Run-level problems of planning (the circuit breaker). */
  errors?: RunError[];
}

/** What `Verify` hands on (`verification`): the fixed findings it changed. */
export interface VerificationObject {
  byInstance: Record<string, { remediations: Remediation[]; nextStep?: string }>;
}
