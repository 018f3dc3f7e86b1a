/**
 * `Report and notify`: assemble the run's report, compare it with the ledger, email when
 * something changed (or every run, if so set), remember this run, emit metrics, release the lock.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { putEvents } from '../../aws/events.ts';
import { readOnline } from '../../aws/inventory.ts';
import { storeReport } from '../../aws/report-archive.ts';
import { buildReport } from '../../engine/report.ts';
import type { Finding, RunError } from '../../engine/report-model.ts';
import { unreadableErrors } from '../../engine/unreadable.ts';
import type { ReportInput, ReportOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderRunEmail } from '../email.ts';
import { findingEvents } from '../finding-events.ts';
import { changesOf, describeChanges, readJournal } from '../journal.ts';
import {
  changesSince,
  hasChanges,
  type LedgerEntry,
  ledgerNeedsWrite,
  nextLedgerEntry,
  type RunChanges,
} from '../ledger.ts';
import { runMetrics } from '../metrics.ts';
import { emailId, Outbox, withCarried } from '../outbox.ts';
import type { BatchObject, RunMeta } from '../run-data.ts';
import {
  type BatchOutcomes,
  batchOutcomes,
  findingPages,
  type RemediationsObject,
  type VerificationObject,
} from '../run-findings.ts';
import { VERIFIED_ITEM } from '../store.ts';
import { batchObject, REMEDIATIONS_OBJECT, VERIFICATION_OBJECT, WorkObjects } from '../work-objects.ts';

export async function reportRun(deps: StageDeps<'report'>, input: ReportInput): Promise<ReportOutput> {
  const { store } = deps;
  const meta = await store.getRunItem<RunMeta>(input.runId, 'META');
  const work = new WorkObjects(deps.clients.s3, deps.env.REPORT_BUCKET, input.runId);
  const { done, failed } = await batchOutcomes(store, meta);
  // Every batch failed: there is nothing to report on, and saying so is the failure email's job.
  if (meta.batchCount > 0 && !done.length)
    throw new Error(`All ${meta.batchCount} batches of run ${input.runId} failed: ${failed[0]?.error}`);
  const notDiagnosed = await notDiagnosedErrors(work, failed);
  const { findings, errors: planErrors, fullFinding } = await runFindings(deps, work, done);
  const now = deps.clock();
  const report = buildReport({
    accountId: meta.identity.accountId,
    region: meta.region,
    generatedAt: now,
    settings: meta.settings,
    summary: meta.summary,
    ...(meta.ignored ? { ignored: meta.ignored } : {}),
    findings,
    // Areas a batch could not read are the run's problems too, whichever batch met them.
    errors: [...meta.errors, ...notDiagnosed.errors, ...planErrors, ...unreadableErrors(findings)],
  });
  const openBefore = await store.openProblemIds();
  const previous = await store.getLedger<LedgerEntry>([...openBefore]);
  // Not diagnosed this run is not "resolved": their open problems stay open, unchanged.
  for (const id of notDiagnosed.instanceIds) previous.delete(id);
  const changes = changesSince(previous, report.findings, report.errors);
  const { partition } = meta.identity;
  // Kept before anything is told, so the email and the events can link to it.
  const stored = await storeReport(
    deps.clients.s3,
    deps.env.REPORT_BUCKET,
    report,
    input.runId,
    partition,
    fullFinding,
  );
  const online = await backOnline(deps, changes);
  const events = findingEvents(
    report,
    changes,
    {
      runId: input.runId,
      accountId: report.accountId,
      region: report.region,
      partition,
      at: now,
      reportUrl: stored.consoleUrl,
    },
    online,
  );
  // Before the email: a PutEvents that throws fails the stage, and its retry must not email twice.
  const put = events.length ? await putEvents(deps.clients.events, events) : { sent: 0, failed: [] };
  if (put.failed.length)
    deps.log('Events not accepted', {
      runId: input.runId,
      failed: put.failed.length,
      errorCodes: [...new Set(put.failed.map((f) => f.errorCode))],
    });
  // Outbox hook: what earlier runs could not tell, and whether this run has changes to tell.
  const outbox = new Outbox(store.client, store.tableName, deps.clock);
  const pending = await outbox.pending(input.runId);
  const ownUntold = await outbox.untold(input.runId);
  const notify =
    meta.settings.notifyOn === 'every-run' ||
    hasChanges(changes) ||
    ownUntold ||
    pending.kept.length > 0 ||
    pending.untold.length > 0;
  if (notify) {
    const email = renderRunEmail(report, changes, partition, online, stored.consoleUrl);
    const carried = new Map<string, string[]>();
    for (const runId of pending.untold)
      carried.set(runId, describeChanges(changesOf(await readJournal(store.client, store.tableName, runId))));
    // Sent once per run across retries; an email SNS refuses is kept and the stage fails loudly.
    await outbox.publishOnce(
      deps.clients.sns,
      deps.env.TOPIC_ARN,
      emailId(input.runId, 'run'),
      withCarried(email, pending.kept, carried),
    );
    await outbox.clear(
      pending.kept.map((k) => k.emailId),
      [...pending.untold, ...(ownUntold ? [input.runId] : [])],
    );
  }
  // An instance that recovered and is back is news again (not in `previous`), but its entry still
  // holds the fixes tried on it: carry them forward, or the cooldown forgets them.
  const returning = report.findings.map((f) => f.instanceId).filter((id) => !previous.has(id));
  const remembered = returning.length ? await store.getLedger<LedgerEntry>(returning) : new Map();
  // Written only where the entry's news changed, or to keep it from expiring (ledger.ts).
  const ledgerWrites = report.findings.flatMap((f) => {
    const before = previous.get(f.instanceId) ?? remembered.get(f.instanceId);
    const next = nextLedgerEntry(before, f, now, notify);
    return ledgerNeedsWrite(before, next, now) ? [{ instanceId: f.instanceId, data: next }] : [];
  });
  await store.putLedgers(ledgerWrites);
  // Fixed and verified back online in this run: announced now, so not "resolved" again next run.
  const openAfter = new Set(
    report.findings
      .filter((f) => !f.remediations.some((r) => r.status === 'verified'))
      .map((f) => f.instanceId),
  );
  for (const id of notDiagnosed.instanceIds) if (openBefore.has(id)) openAfter.add(id);
  await store.updateOpenProblems(openBefore, openAfter);
  await store.putLastReportedRun(input.runId, now);
  await store.putRunItem(input.runId, 'REPORT', {
    summary: report.summary,
    findings: report.findings.length,
    notified: notify,
    generatedAt: report.generatedAt,
    ...(stored ? { reportKey: stored.jsonKey } : {}),
  });
  deps.metrics?.(runMetrics(report));
  deps.log('Run reported', {
    runId: input.runId,
    findings: report.findings.length,
    notified: notify,
    newProblems: changes.newProblems.length,
    resolved: changes.resolved.length,
    ledgerWrites: ledgerWrites.length,
    notDiagnosed: notDiagnosed.instanceIds.length,
    events: put.sent,
    ...(stored ? { reportKey: stored.jsonKey } : {}),
  });
  await store.releaseLock(input.runId);
  return { findings: report.findings.length, notified: notify };
}

/**
 * The run's findings, a batch at a time, with the fixes planned and verified for each. What the
 * report, the email and the ledger use is kept (a check's evidence only where it failed: the
 * groups name the resource from it); each full finding is kept compressed for the archive.
 */
async function runFindings(
  deps: StageDeps<'report'>,
  work: WorkObjects,
  done: Parameters<typeof findingPages>[1],
): Promise<{ findings: Finding[]; errors: RunError[]; fullFinding: (f: Finding) => string }> {
  const plan = await work.get<RemediationsObject>(REMEDIATIONS_OBJECT);
  const remediations = plan.byInstance;
  const verified = (await deps.store.findRunItem(work.runId, VERIFIED_ITEM))
    ? (await work.get<VerificationObject>(VERIFICATION_OBJECT)).byInstance
    : {};
  const findings: Finding[] = [];
  const compressed = new Map<string, Buffer>();
  for await (const page of findingPages(work, done)) {
    for (const { finding } of page) {
      const check = verified[finding.instanceId];
      const full: Finding = {
        ...finding,
        remediations: check?.remediations ?? remediations[finding.instanceId]?.remediations ?? [],
        nextSteps: check?.nextStep ? [check.nextStep, ...finding.nextSteps] : finding.nextSteps,
      };
      // Copied: zlib hands back a view of its 16 KB output chunk, which would keep all 16 KB alive
      // for a finding's 2–3 KB (160 MB at 10,000 findings instead of ~30).
      compressed.set(full.instanceId, Buffer.from(gzipSync(JSON.stringify(full))));
      findings.push({
        ...full,
        checks: full.checks.map((c) => (c.status === 'fail' ? c : { ...c, evidence: {} })),
      });
    }
  }
  const fullFinding = (f: Finding) => {
    const bytes = compressed.get(f.instanceId);
    return bytes ? gunzipSync(bytes).toString('utf8') : JSON.stringify(f);
  };
  return { findings, errors: plan.errors ?? [], fullFinding };
}

/** A batch whose retries ran out: its instances, named in a run-level error with what went wrong. */
async function notDiagnosedErrors(
  work: WorkObjects,
  failed: BatchOutcomes['failed'],
): Promise<{ errors: RunError[]; instanceIds: string[] }> {
  const errors: RunError[] = [];
  const instanceIds: string[] = [];
  for (const batch of failed) {
    const { candidates } = await work.get<BatchObject>(batchObject(batch.batchIndex));
    const ids = candidates.map((c) => c.instanceId);
    instanceIds.push(...ids);
    errors.push({
      code: 'BatchNotDiagnosed',
      message: `${ids.length} instance${ids.length === 1 ? '' : 's'} not diagnosed this run (${ids.join(', ')}): ${batch.error}. The next run tries again.`,
    });
  }
  return { errors, instanceIds };
}

/** Which resolved instances are Online now; `undefined` when SSM cannot say (the email words it neutrally). */
async function backOnline(deps: StageDeps<'report'>, changes: RunChanges): Promise<Set<string> | undefined> {
  if (!changes.resolved.length) return new Set();
  const read = await readOnline(
    deps.clients.ssm,
    changes.resolved.map((entry) => entry.instanceId),
  );
  return read.ok ? read.value : undefined;
}
