/**
 * `Report and notify`: assemble the run's report, compare it with the ledger, email when
 * something changed (or every run, if so set), remember this run, emit metrics, release the lock.
 */
import { putEvents } from '../../aws/events.ts';
import { readOnline } from '../../aws/inventory.ts';
import { storeReport } from '../../aws/report-archive.ts';
import { buildReport } from '../../engine/report.ts';
import { unreadableErrors } from '../../engine/unreadable.ts';
import type { ReportInput, ReportOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderRunEmail } from '../email.ts';
import { findingEvents } from '../finding-events.ts';
import { changesOf, describeChanges, readJournal } from '../journal.ts';
import { changesSince, hasChanges, type LedgerEntry, nextLedgerEntry, type RunChanges } from '../ledger.ts';
import { runMetrics } from '../metrics.ts';
import { emailId, Outbox, withCarried } from '../outbox.ts';
import type { FindingItem, RunMeta } from '../run-data.ts';

export async function reportRun(deps: StageDeps<'report'>, input: ReportInput): Promise<ReportOutput> {
  const { store } = deps;
  const meta = await store.getRunItem<RunMeta>(input.runId, 'META');
  const items = await store.queryRunItems<FindingItem>(input.runId, 'FINDING#');
  const now = deps.clock();
  const report = buildReport({
    accountId: meta.identity.accountId,
    region: meta.region,
    generatedAt: now,
    settings: meta.settings,
    summary: meta.summary,
    ...(meta.ignored ? { ignored: meta.ignored } : {}),
    findings: items.map((item) => item.finding),
    // Areas a batch could not read are the run's problems too, whichever batch met them.
    errors: [...meta.errors, ...unreadableErrors(items.map((item) => item.finding))],
  });
  const previous = await store.openLedgerEntries<LedgerEntry>();
  const changes = changesSince(previous, report.findings, report.errors);
  const { partition } = meta.identity;
  // Kept before anything is told, so the email and the events can link to it.
  const stored = await storeReport(deps.clients.s3, deps.env.REPORT_BUCKET, report, input.runId, partition);
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
  await Promise.all(
    report.findings.map((f) =>
      store.putLedger(
        f.instanceId,
        nextLedgerEntry(previous.get(f.instanceId) ?? remembered.get(f.instanceId), f, now, notify),
      ),
    ),
  );
  // Fixed and verified back online in this run: announced now, so not "resolved" again next run.
  await store.putOpenLedgerIds(
    report.findings
      .filter((f) => !f.remediations.some((r) => r.status === 'verified'))
      .map((f) => f.instanceId),
  );
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
    events: put.sent,
    ...(stored ? { reportKey: stored.jsonKey } : {}),
  });
  await store.releaseLock(input.runId);
  return { findings: report.findings.length, notified: notify };
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
