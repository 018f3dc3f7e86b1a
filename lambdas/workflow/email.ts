/**
 * The notification email, rendered from the report and what changed. Plain text, because SNS
 * email subscriptions deliver plain text; the subject says the count and the account/region.
 */

import { explain, fixesOf } from '../engine/explain.ts';
import { consoleLinks } from '../engine/next-steps.ts';
import type { Finding, Report } from '../engine/report-model.ts';
import type { RunChanges } from './ledger.ts';

export interface Email {
  subject: string;
  body: string;
}

/**
 * SNS takes a subject of printable ASCII under 100 characters and a message of at most 256 KiB;
 * anything else fails the Publish, and with it the run before the ledger is written, so the next
 * run would fail on the same email. The budget leaves room for the "left out" lines.
 */
const SUBJECT_LIMIT = 99;
const MESSAGE_BUDGET = 240 * 1024;

/**
 * `backOnline`: which resolved instances SSM now lists as Online (absent when it could not be
 * read), so "fixed" is told apart from "stopped or terminated".
 */
export function renderRunEmail(
  report: Report,
  changes: RunChanges,
  partition: string,
  backOnline?: ReadonlySet<string>,
): Email {
  // Fixed and already back online in this run: good news, not an unmanaged instance.
  const isBack = (f: Report['findings'][number]) => f.remediations.some((r) => r.status === 'verified');
  const back = report.findings.filter(isBack);
  const unmanaged = report.findings.filter((f) => !isBack(f));
  const n = unmanaged.length;
  const where = `${report.accountId}/${report.region}`;
  const news = [
    changes.newProblems.length && `${changes.newProblems.length} new`,
    changes.resolved.length && `${changes.resolved.length} resolved`,
    changes.fixesApplied.length && `${changes.fixesApplied.length} fixed`,
    changes.fixesFailed.length && `${changes.fixesFailed.length} fix failed`,
    changes.configurationErrors.length && 'configuration problems',
  ].filter(Boolean);
  const subject = `ssm-doctor: ${n} unmanaged instance${n === 1 ? '' : 's'} in ${where}${news.length ? ` (${news.join(', ')})` : ''}`;
  const s = report.summary;
  const lines = [
    `ssm-doctor checked ${s.runningInstances} running instances in account ${report.accountId}, region ${report.region}, at ${report.generatedAt}.`,
    `${s.online} online, ${s.notRegistered} not registered, ${s.connectionLost} connection lost, ${s.ignored} ignored, ${s.inGracePeriod} in grace period. Remediation mode: ${report.settings.remediationMode}.`,
    '',
  ];
  // One budget for every list: a wave of recoveries must not push the message past the limit.
  const body = new BudgetedLines(lines);
  if (report.errors.length) {
    body.push(['CONFIGURATION PROBLEMS']);
    const shown = body.pushEach(report.errors, (e) => [`- ${e.message}`]);
    body.leftOut(report.errors.length - shown, 'more configuration problems');
    body.push(['']);
  }
  if (changes.resolved.length) {
    body.push(['RESOLVED SINCE THE LAST RUN']);
    const shown = body.pushEach(changes.resolved, (e) => [
      `- ${e.instanceId}${e.name ? ` (${e.name})` : ''}: ${resolution(e.instanceId, backOnline)} (was ${e.rootCause})`,
    ]);
    body.leftOut(changes.resolved.length - shown, 'more resolved instances');
    body.push(['']);
  }
  if (back.length) {
    body.push(['FIXED THIS RUN, BACK ONLINE']);
    const shown = body.pushEach(back, (f) => [
      `- ${f.instanceId}${f.name ? ` (${f.name})` : ''}: ${f.remediations
        .filter((r) => r.status === 'verified')
        .map((r) => r.id)
        .join(', ')} (was ${f.rootCause})`,
    ]);
    body.leftOut(back.length - shown, 'more fixed instances');
    body.push(['']);
  }
  if (n) body.push(['UNMANAGED INSTANCES', '']);
  const fresh = new Set(changes.newProblems.map((f) => f.instanceId));
  // New problems first: if the message must be cut, what changed is what gets through.
  const ordered = [...unmanaged].sort(
    (a, b) => Number(fresh.has(b.instanceId)) - Number(fresh.has(a.instanceId)),
  );
  const shown = body.pushEach(ordered, (finding) =>
    section(finding, fresh.has(finding.instanceId), partition, report.region),
  );
  if (shown < ordered.length) {
    lines.push(
      `…and ${ordered.length - shown} more unmanaged instances, left out to fit one email: run \`ssm-doctor scan --format markdown\` for all of them.`,
    );
  }
  return { subject: truncate(subject, SUBJECT_LIMIT), body: `${lines.join('\n')}\n` };
}

/** Lines that stop growing once the message budget is spent (the first thing that does not fit ends each list). */
class BudgetedLines {
  private size: number;
  private full = false;

  constructor(private readonly lines: string[]) {
    this.size = Buffer.byteLength(lines.join('\n'));
  }

  /** Adds the lines if they fit; returns whether they did. */
  push(text: readonly string[]): boolean {
    const cost = Buffer.byteLength(text.join('\n')) + 1;
    if (this.full || this.size + cost > MESSAGE_BUDGET) {
      this.full = true;
      return false;
    }
    this.size += cost;
    this.lines.push(...text);
    return true;
  }

  /** Adds one block per item while they fit; returns how many were added. */
  pushEach<T>(items: readonly T[], render: (item: T) => readonly string[]): number {
    let shown = 0;
    for (const item of items) {
      if (!this.push(render(item))) break;
      shown++;
    }
    return shown;
  }

  /** Says what a list left out; this line is always kept (the budget keeps room for it). */
  leftOut(count: number, what: string): void {
    if (count > 0) this.lines.push(`…and ${count} ${what}, left out to fit one email.`);
  }
}

function resolution(instanceId: string, backOnline: ReadonlySet<string> | undefined): string {
  if (!backOnline) return 'no longer unmanaged';
  return backOnline.has(instanceId)
    ? 'back online in Systems Manager'
    : 'no longer a running unmanaged instance (stopped, terminated, tagged ignore, or relaunched)';
}

function section(f: Finding, isNew: boolean, partition: string, region: string): string[] {
  return [
    `${isNew ? '[NEW] ' : ''}${f.instanceId}${f.name ? ` (${f.name})` : ''} — ${f.ssmStatus} — ${f.rootCause}`,
    `  ${explain(f)}`,
    `  Fixes: ${fixesOf(f.remediations)}`,
    ...f.nextSteps
      .filter((step) => !step.startsWith('EC2 console') && !step.startsWith('Fleet Manager'))
      .slice(0, 4)
      .map((step) => `  - ${step}`),
    ...consoleLinks(partition, region, f.instanceId).map((link) => `  ${link}`),
    '',
  ];
}

export function renderFailureEmail(
  accountId: string,
  region: string,
  runId: string | undefined,
  error: { Error?: string; Cause?: string } | undefined,
): Email {
  return {
    subject: truncate(`ssm-doctor: run FAILED in ${accountId}/${region}`, SUBJECT_LIMIT),
    body: [
      `The ssm-doctor run ${runId ?? '(not started)'} failed in account ${accountId}, region ${region}.`,
      `Error: ${error?.Error ?? 'unknown'}`,
      `Cause: ${error?.Cause ?? 'not given'}`,
      '',
      'The run lock was released, so the next scheduled run will try again. See the state machine execution history and the function logs for details.',
    ].join('\n'),
  };
}

/** Printable ASCII only (SNS refuses anything else in a subject), cut with an ASCII ellipsis. */
const truncate = (text: string, limit: number) => {
  const ascii = text.replace(/[^ -~]/g, '?');
  return ascii.length <= limit ? ascii : `${ascii.slice(0, limit - 3)}...`;
};
