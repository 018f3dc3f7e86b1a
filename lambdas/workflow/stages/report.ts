/**
 * `Report and notify`: assemble the run's report, compare it with the ledger, email when
 * something changed (or every run, if so set), remember this run, emit metrics, release the lock.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { readOnline } from '../../aws/inventory.ts';
import { buildReport } from '../../engine/report.ts';
import { unreadableErrors } from '../../engine/unreadable.ts';
import type { ReportInput, ReportOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { renderRunEmail } from '../email.ts';
import { changesSince, hasChanges, type LedgerEntry, nextLedgerEntry, type RunChanges } from '../ledger.ts';
import { runMetrics } from '../metrics.ts';
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
  const notify = meta.settings.notifyOn === 'every-run' || hasChanges(changes);
  if (notify) {
    const email = renderRunEmail(report, changes, meta.identity.partition, await backOnline(deps, changes));
    await deps.clients.sns.send(
      new PublishCommand({ TopicArn: deps.env.TOPIC_ARN, Subject: email.subject, Message: email.body }),
    );
  }
  // An instance that recovered and is back is news again (not in `previous`), but its entry still
  // holds the fixes tried on it: carry them forward, or the cooldown forgets them.
  const returning = report.findings.map((f) => f.instanceId).filter((id) => !previous.has(id));
  const stored = returning.length ? await store.getLedger<LedgerEntry>(returning) : new Map();
  await Promise.all(
    report.findings.map((f) =>
      store.putLedger(
        f.instanceId,
        nextLedgerEntry(previous.get(f.instanceId) ?? stored.get(f.instanceId), f, now, notify),
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
  });
  deps.metrics?.(runMetrics(report));
  deps.log('Run reported', {
    runId: input.runId,
    findings: report.findings.length,
    notified: notify,
    newProblems: changes.newProblems.length,
    resolved: changes.resolved.length,
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
