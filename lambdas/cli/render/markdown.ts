/** A document to paste into a ticket: every check, every fix and every next step. */

import { explain } from '../../engine/explain.ts';
import type { Finding, Report } from '../../engine/report-model.ts';

const ICON: Record<string, string> = { pass: '✅', fail: '❌', warn: '⚠️', unknown: '❔', skip: '➖' };

export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const out = [
    `# ssm-doctor report — ${report.accountId} / ${report.region}`,
    '',
    `Generated ${report.generatedAt}. Remediation mode: \`${report.settings.remediationMode}\`.`,
    '',
    '| running | online | not registered | connection lost | ignored | in grace period |',
    '|---|---|---|---|---|---|',
    `| ${s.runningInstances} | ${s.online} | ${s.notRegistered} | ${s.connectionLost} | ${s.ignored} | ${s.inGracePeriod} |`,
    '',
  ];
  if (report.errors.length) out.push('## Run errors', '', ...report.errors.map((e) => `- ${e.message}`), '');
  if (!report.findings.length) out.push('No unmanaged instances found.', '');
  for (const finding of report.findings) out.push(...section(finding));
  return `${out.join('\n')}\n`;
}

function section(f: Finding): string[] {
  const lines = [
    `## ${f.instanceId}${f.name ? ` (${f.name})` : ''} — ${f.rootCause}`,
    '',
    `**${f.ssmStatus}** · ${f.instance.platform}${f.instance.agentVersion ? ` · agent ${f.instance.agentVersion}` : ''}${f.instance.lastPingDateTime ? ` · last ping ${f.instance.lastPingDateTime}` : ''}`,
    '',
    `${explain(f).replace(/\.$/, '')}.`,
    '',
    `Causes: ${f.causes.length ? f.causes.map((c) => `\`${c}\``).join(', ') : 'none found from outside'}`,
    '',
    '| check | status | summary |',
    '|---|---|---|',
    ...f.checks.map(
      (c) => `| \`${c.id}\` | ${ICON[c.status] ?? ''} ${c.status} | ${c.summary.replaceAll('|', '\\|')} |`,
    ),
    '',
  ];
  if (f.remediations.length) {
    lines.push('**Fixes**', '');
    for (const r of f.remediations) {
      const more = r.alsoAffectsCount ? ` and ${r.alsoAffectsCount - (r.alsoAffects?.length ?? 0)} more` : '';
      const extra = r.alsoAffects?.length ? ` — also affects ${r.alsoAffects.join(', ')}${more}` : '';
      lines.push(`- \`${r.id}\` on \`${r.target}\`: ${r.status}${r.reason ? ` (${r.reason})` : ''}${extra}`);
    }
    lines.push('');
  }
  lines.push('**Next steps**', '', ...f.nextSteps.map((step) => `1. ${step}`), '');
  return lines;
}
