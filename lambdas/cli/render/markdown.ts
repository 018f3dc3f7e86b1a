/**
 * A document to paste into a ticket: the root-cause groups, then every check, fix and next step
 * per instance. Safe to paste: account text is escaped (no injected headings, links or HTML),
 * commands are in code fences (so `<placeholders>` survive rendering), and the document stops
 * before a ticket's size limit with a note saying how many instances it left out.
 */

import { DEGRADATIONS_LEAD, shownDegradations } from '../../engine/degradations-line.ts';
import { explain } from '../../engine/explain.ts';
import { count, groupsHeadline } from '../../engine/groups.ts';
import type { Finding, Report, RootCauseGroup } from '../../engine/report-model.ts';
import { codeBlock, labelOf, markdownText, splitCommand } from '../../engine/text.ts';
import { stepsToDo } from '../../engine/to-do.ts';
import { BudgetedLines } from '../../workflow/email-budget.ts';

const ICON: Record<string, string> = { pass: '✅', fail: '❌', warn: '⚠️', unknown: '❔', skip: '➖' };
/** Tickets (Jira and others) take about 64 K characters in a description; bytes ≥ characters. */
export const MARKDOWN_BUDGET = 60_000;
const GROUP_IDS_SHOWN = 20;

export function renderMarkdown(report: Report, budget = MARKDOWN_BUDGET): string {
  const note = 1024;
  const body = new BudgetedLines(budget - note);
  body.push(headLines(report));
  if (report.groups.length) {
    body.push(rootCausesLead(report));
    // The groups get at most half of the document, so instances in no group still get a place.
    const groups = new BudgetedLines(budget / 2);
    const groupsShown = groups.pushEach(report.groups, (g) => groupSection(g, report.groups.indexOf(g)));
    body.push(groups.lines);
    if (groupsShown < report.groups.length)
      body.force(
        `> ${count(report.groups.length - groupsShown)} more root causes left out; \`--format json\` has all of them.`,
      );
  }
  const shown = body.pushEach(report.findings, section);
  const left = report.findings.length - shown;
  if (left > 0)
    body.force(
      `> ${count(left)} more instances left out to keep this under ${count(budget)} characters; \`ssm-doctor scan --format json\` has all of them.`,
    );
  return `${body.lines.join('\n')}\n`;
}

/**
 * The whole document with no size bound, a block of lines at a time: `renderMarkdown(report,
 * Infinity)` is these lines, each ended by a newline. The kept report is written from it as it is
 * rendered, so a fleet's document is never whole in memory.
 */
export function* markdownBlocks(report: Report): Generator<readonly string[]> {
  yield headLines(report);
  if (report.groups.length) {
    yield rootCausesLead(report);
    for (const [i, g] of report.groups.entries()) yield groupSection(g, i);
  }
  for (const f of report.findings) yield section(f);
}

function headLines(report: Report): string[] {
  const s = report.summary;
  const head = [
    `# ssm-doctor report — ${report.accountId} / ${report.region}`,
    '',
    `Generated ${report.generatedAt}. Remediation mode: \`${report.settings.remediationMode}\`.`,
    '',
    '| running | online | not registered | connection lost | ignored | in grace period |',
    '|---|---|---|---|---|---|',
    `| ${s.runningInstances} | ${s.online} | ${s.notRegistered} | ${s.connectionLost} | ${s.ignored} | ${s.inGracePeriod} |`,
    '',
  ];
  if (report.errors.length)
    head.push('## Run errors', '', ...report.errors.map((e) => `- ${markdownText(e.message, 500)}`), '');
  if (!report.findings.length) head.push('No unmanaged instances found.', '');
  return head;
}

const rootCausesLead = (report: Report) => [
  '## Root causes',
  '',
  `${groupsHeadline(report.groups, report.findings.length)}`,
  '',
];

function groupSection(g: RootCauseGroup, i: number): string[] {
  const more = g.instanceIds.length - GROUP_IDS_SHOWN;
  return [
    `### ${i + 1}. \`${g.cause}\` on \`${g.resource}\` — ${count(g.instanceIds.length)} instances`,
    '',
    markdownText(g.summary),
    '',
    ...(/^[a-z-]+$/.test(g.fix) ? [`Fix by ssm-doctor: \`${g.fix}\``] : codeBlock(g.fix)),
    '',
    `Instances: ${g.instanceIds
      .slice(0, GROUP_IDS_SHOWN)
      .map((id) => `\`${id}\``)
      .join(', ')}${more > 0 ? `, and ${count(more)} more` : ''}`,
    '',
  ];
}

function section(f: Finding): string[] {
  const lines = [
    `## ${markdownText(labelOf(f.instanceId, f.name))} — ${f.rootCause}`,
    '',
    `**${f.ssmStatus}** · ${f.instance.platform}${f.instance.agentVersion ? ` · agent ${markdownText(f.instance.agentVersion)}` : ''}${f.instance.lastPingDateTime ? ` · last ping ${f.instance.lastPingDateTime}` : ''}`,
    '',
    `${markdownText(explain(f).replace(/\.$/, ''))}.`,
    '',
    `Causes: ${f.causes.length ? f.causes.map((c) => `\`${c}\``).join(', ') : 'none found from outside'}`,
    '',
    ...degradationLines(f),
    '| check | status | summary |',
    '|---|---|---|',
    ...f.checks.map(
      (c) => `| \`${c.id}\` | ${ICON[c.status] ?? ''} ${c.status} | ${markdownText(c.summary)} |`,
    ),
    '',
  ];
  if (f.remediations.length) {
    lines.push('**Fixes**', '');
    for (const r of f.remediations) {
      const more = r.alsoAffectsCount ? ` and ${r.alsoAffectsCount - (r.alsoAffects?.length ?? 0)} more` : '';
      const extra = r.alsoAffects?.length ? ` — also affects ${r.alsoAffects.join(', ')}${more}` : '';
      lines.push(
        `- \`${r.id}\` on \`${markdownText(r.target)}\`: ${r.status}${r.reason ? ` (${markdownText(r.reason)})` : ''}${extra}`,
      );
    }
    lines.push('');
  }
  lines.push('**Next steps**', '');
  // A command a fix already ran is not a to-do; the console links close the list.
  const todo = stepsToDo(f);
  const links = f.nextSteps.filter((step) => /^(EC2 console|Fleet Manager): /.test(step));
  [...todo.specific, ...todo.common, ...links].forEach((step, i) => {
    const { prose, command } = splitCommand(step);
    lines.push(`${i + 1}. ${prose ? markdownText(prose) : 'Run:'}`);
    if (command) lines.push('', ...codeBlock(command, '   '), '');
  });
  lines.push('');
  return lines;
}

/** The codes in backticks, like the causes (catalog codes only: `shownDegradations` drops the rest). */
function degradationLines(f: Finding): string[] {
  const { codes, more } = shownDegradations(f);
  if (codes.length === 0) return [];
  const list = codes.map((code) => `\`${code}\``).join(', ');
  return [`${DEGRADATIONS_LEAD}: ${list}${more ? ` and ${more} more` : ''}`, ''];
}
