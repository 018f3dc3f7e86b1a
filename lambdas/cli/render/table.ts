/** The people format: one line per instance with its cause in words, then a summary line. */
import { createColors } from 'picocolors';
import { explain, fixesOf } from '../../engine/explain.ts';
import type { Report } from '../../engine/report-model.ts';

export function renderTable(report: Report, color: boolean): string {
  const c = createColors(color);
  const { summary, findings } = report;
  const lines = [
    c.bold(`ssm-doctor · account ${report.accountId} · ${report.region} · ${report.generatedAt}`),
    `${summary.runningInstances} running · ${summary.online} online · ${summary.notRegistered} not registered · ` +
      `${summary.connectionLost} connection lost · ${summary.ignored} ignored · ${summary.inGracePeriod} in grace period`,
    '',
  ];
  for (const error of report.errors) lines.push(c.red(`! ${error.message}`));
  if (report.errors.length) lines.push('');
  if (findings.length) {
    const rows = findings.map((f) => [
      f.instanceId,
      f.name ?? '-',
      f.ssmStatus,
      f.rootCause,
      fixesOf(f.remediations),
    ]);
    const header = ['INSTANCE', 'NAME', 'SSM STATUS', 'ROOT CAUSE', 'FIXES'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const pad = (cells: string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    lines.push(c.dim(pad(header)));
    findings.forEach((finding, i) => {
      const row = rows[i] ?? [];
      lines.push(pad(row).replace(finding.rootCause, paint(c, finding.rootCause)));
      lines.push(c.dim(`  ↳ ${explain(finding)}`));
    });
    lines.push('');
  }
  lines.push(closingLine(report));
  return `${lines.join('\n')}\n`;
}

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
