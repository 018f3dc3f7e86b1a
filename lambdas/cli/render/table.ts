/**
 * The people format: the root-cause groups first (one command for many instances), then one line
 * per instance with its cause in words, then a summary line. Bounded in width: long names and
 * fix lists are cut, the explanation is cut to the width (commands are printed whole, on lines of
 * their own, so they still work when pasted). Account text is sanitized (`engine/text.ts`).
 */
import { createColors } from 'picocolors';
import { degradationsLine } from '../../engine/degradations-line.ts';
import { explain, fixesOf } from '../../engine/explain.ts';
import { groupsHeadline } from '../../engine/groups.ts';
import type { Report } from '../../engine/report-model.ts';
import { plainText } from '../../engine/text.ts';

const NAME_WIDTH = 24;
const FIXES_WIDTH = 40;
export const DEFAULT_WIDTH = 120;

export function renderTable(report: Report, color: boolean, width = DEFAULT_WIDTH): string {
  const c = createColors(color);
  const { summary, findings } = report;
  const lines = [
    c.bold(`ssm-doctor · account ${report.accountId} · ${report.region} · ${report.generatedAt}`),
    `${summary.runningInstances} running · ${summary.online} online · ${summary.notRegistered} not registered · ` +
      `${summary.connectionLost} connection lost · ${summary.ignored} ignored · ${summary.inGracePeriod} in grace period`,
    '',
  ];
  for (const error of report.errors) lines.push(c.red(`! ${plainText(error.message, width * 3)}`));
  if (report.errors.length) lines.push('');
  if (report.groups.length) {
    lines.push(c.bold(groupsHeadline(report.groups, findings.length)));
    report.groups.forEach((g, i) => {
      lines.push(`#${i + 1} ${g.cause} on ${g.resource}: ${g.instanceIds.length} instances`);
      lines.push(
        `   ${/^[a-z-]+$/.test(g.fix) ? `fix: ${g.fix} (ssm-doctor --remediation on)` : plainText(g.fix)}`,
      );
    });
    lines.push('');
  }
  if (findings.length) {
    const rows = findings.map((f) => [
      f.instanceId,
      cut(plainText(f.name ?? '-'), NAME_WIDTH),
      f.ssmStatus,
      f.rootCause,
      cut(fixesOf(f.remediations), FIXES_WIDTH),
    ]);
    const header = ['INSTANCE', 'NAME', 'SSM STATUS', 'ROOT CAUSE', 'FIXES'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const pad = (cells: string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    lines.push(c.bold(pad(header)));
    findings.forEach((finding, i) => {
      const row = rows[i] ?? [];
      lines.push(pad(row).replace(finding.rootCause, paint(c, finding.rootCause)));
      lines.push(`  ↳ ${cut(plainText(explain(finding)), width - 4)}`);
      const degraded = degradationsLine(finding);
      if (degraded) lines.push(`  ↳ ${cut(degraded, width - 4)}`);
    });
    lines.push('');
  }
  lines.push(closingLine(report));
  return `${lines.join('\n')}\n`;
}

const cut = (text: string, max: number) =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;

function paint(c: ReturnType<typeof createColors>, rootCause: string): string {
  return rootCause === 'UNKNOWN' ? c.yellow(rootCause) : c.red(rootCause);
}

function closingLine(report: Report): string {
  const n = report.findings.length;
  if (n === 0)
    return `All ${report.summary.runningInstances - report.summary.ignored - report.summary.inGracePeriod} judged instances are managed by Systems Manager.`;
  const fixable = report.findings.filter((f) => f.remediations.some((r) => r.status !== 'skipped')).length;
  const fixWords =
    report.settings.remediationMode === 'on'
      ? 'with a fix applied or attempted'
      : 'with a fix that would run';
  return `${n} instance${n === 1 ? '' : 's'} not managed by Systems Manager (${fixable} ${fixWords}). Use --format markdown for every check and next step.`;
}
