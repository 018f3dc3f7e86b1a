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

/** SNS rejects subjects over 100 characters and messages over 256 KiB. */
const SUBJECT_LIMIT = 100;
const MESSAGE_BUDGET = 240 * 1024;

export function renderRunEmail(report: Report, changes: RunChanges, partition: string): Email {
  const n = report.findings.length;
  const where = `${report.accountId}/${report.region}`;
  const news = [
    changes.newProblems.length && `${changes.newProblems.length} new`,
    changes.resolved.length && `${changes.resolved.length} resolved`,
    changes.fixesApplied.length && `${changes.fixesApplied.length} fixed`,
    changes.fixesFailed.length && `${changes.fixesFailed.length} fix failed`,
    changes.settingErrors.length && 'settings invalid',
  ].filter(Boolean);
  const subject = `ssm-doctor: ${n} unmanaged instance${n === 1 ? '' : 's'} in ${where}${news.length ? ` (${news.join(', ')})` : ''}`;
  const s = report.summary;
  const lines = [
    `ssm-doctor checked ${s.runningInstances} running instances in account ${report.accountId}, region ${report.region}, at ${report.generatedAt}.`,
    `${s.online} online, ${s.notRegistered} not registered, ${s.connectionLost} connection lost, ${s.ignored} ignored, ${s.inGracePeriod} in grace period. Remediation mode: ${report.settings.remediationMode}.`,
    '',
  ];
  if (report.errors.length)
    lines.push('CONFIGURATION PROBLEMS', ...report.errors.map((e) => `- ${e.message}`), '');
  if (changes.resolved.length) {
    lines.push(
      'RESOLVED SINCE THE LAST RUN',
      ...changes.resolved.map((e) => `- ${e.instanceId}${e.name ? ` (${e.name})` : ''}: was ${e.rootCause}`),
      '',
    );
  }
  if (n) lines.push('UNMANAGED INSTANCES', '');
  const fresh = new Set(changes.newProblems.map((f) => f.instanceId));
  // New problems first: if the message must be cut, what changed is what gets through.
  const ordered = [...report.findings].sort(
    (a, b) => Number(fresh.has(b.instanceId)) - Number(fresh.has(a.instanceId)),
  );
  let size = Buffer.byteLength(lines.join('\n'));
  let shown = 0;
  for (const finding of ordered) {
    const text = section(finding, fresh.has(finding.instanceId), partition, report.region);
    size += Buffer.byteLength(text.join('\n')) + 1;
    if (size > MESSAGE_BUDGET) break;
    lines.push(...text);
    shown++;
  }
  if (shown < ordered.length) {
    lines.push(
      `…and ${ordered.length - shown} more unmanaged instances, left out to fit one email: run \`ssm-doctor scan --format markdown\` for all of them.`,
    );
  }
  return { subject: truncate(subject, SUBJECT_LIMIT), body: `${lines.join('\n')}\n` };
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

const truncate = (text: string, limit: number) =>
  text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
