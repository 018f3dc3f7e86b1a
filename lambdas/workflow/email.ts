/**
 * The notification email, rendered from the report and what changed. Plain text, because SNS
 * email subscriptions deliver plain text. It has to fit any fleet, so it tells people what to do
 * first and says everything once: counts by cause, the root-cause groups (one command explains
 * many instances), one compact entry per instance (changed ones first), then the steps shared by
 * several instances and those common to all, written once. When it cannot list everything it
 * says how many it left out and links to the full report. Account text is sanitized (`text.ts`).
 */

import { degradationsLine } from '../engine/degradations-line.ts';
import { explain } from '../engine/explain.ts';
import { count, groupsHeadline } from '../engine/groups.ts';
import { consoleLinks } from '../engine/next-steps.ts';
import type { Finding, Report, RootCauseGroup } from '../engine/report-model.ts';
import { labelOf, plainText } from '../engine/text.ts';
import { stepsToDo } from '../engine/to-do.ts';
import { BudgetedLines, MESSAGE_BUDGET } from './email-budget.ts';
import type { LedgerEntry, RunChanges } from './ledger.ts';
import { fixOutcome, isNoise, remediationText } from './outcomes.ts';

export interface Email {
  subject: string;
  body: string;
}

/** SNS takes a subject of printable ASCII under 100 characters. */
const SUBJECT_LIMIT = 99;
/** Ids written out per group; the rest are counted (and listed in the full report). */
const GROUP_IDS_SHOWN = 100;
/** A body line found in this many entries or more is written once, with the instances it concerns. */
const SHARED_AT = 3;
const STEPS_PER_ENTRY = 4;

/**
 * `backOnline`: which resolved instances SSM now lists as Online (absent when it could not be
 * read), so "back online" is told apart from "stopped or terminated". `fullReportUrl`: where the
 * run's whole report is kept (console URL), linked whenever the email leaves something out.
 */
export function renderRunEmail(
  report: Report,
  changes: RunChanges,
  partition: string,
  backOnline?: ReadonlySet<string>,
  fullReportUrl?: string,
): Email {
  const back = report.findings.filter((f) => fixOutcome(f) === 'back-online');
  const unmanaged = report.findings.filter((f) => fixOutcome(f) !== 'back-online');
  const where = `${report.accountId}/${report.region}`;
  const subject = `ssm-doctor: ${unmanaged.length} unmanaged instance${unmanaged.length === 1 ? '' : 's'} in ${where}${headlineNews(report, changes)}`;

  const head = [...introLines(report, back.length, unmanaged), ''];
  if (fullReportUrl) head.push(`Full report of this run (JSON and markdown): ${fullReportUrl}`, '');
  head.push(...happenedLines(report, changes, backOnline), ...byCauseLines(unmanaged));
  const groupIndex = new Map<string, number>();
  report.groups.forEach((g, i) => {
    for (const id of g.instanceIds) groupIndex.set(id, i + 1);
  });
  head.push(...groupLines(report.groups, unmanaged.length, report.findings));
  if (report.errors.length) {
    head.push('CONFIGURATION PROBLEMS', ...report.errors.map((e) => `- ${plainText(e.message, 500)}`), '');
  }

  const findings = [...back, ...unmanaged];
  const marks = changeMarks(changes);
  // The most detail that lets every instance be listed; a huge fleet gets one line per instance.
  let entries: Entry[] = [];
  let tail: string[] = [];
  for (const detail of DETAIL_LEVELS) {
    entries = findings
      .map((f) => {
        const group = groupIndex.get(f.instanceId);
        const fix = group ? report.groups[group - 1]?.fix : undefined;
        return entryOf(f, marks, changes, group, fix, detail, partition, report.region);
      })
      .sort((a, b) => Number(b.changed) - Number(a.changed) || a.order - b.order || a.id.localeCompare(b.id));
    tail = [...sharedLines(hoistShared(entries)), ...commonLines(report.findings, partition, report.region)];
    const size = [head, tail, ...entries.map((e) => e.lines)].reduce(
      (n, l) => n + Buffer.byteLength(l.join('\n')) + 2,
      0,
    );
    if (size + changes.resolved.length * 160 < MESSAGE_BUDGET - 4096) break;
  }

  // The tail is written once for everyone; the lists share what is left of the budget.
  const body = new BudgetedLines(MESSAGE_BUDGET - Buffer.byteLength(tail.join('\n')) - 2048);
  body.push(head);
  if (changes.resolved.length) {
    body.push(['RESOLVED SINCE THE LAST EMAIL']);
    const shown = body.pushEach(changes.resolved, (e) => [resolvedLine(e, backOnline)]);
    leftOut(body, changes.resolved.length - shown, 'more resolved instances', fullReportUrl);
    body.push(['']);
  }
  if (entries.length) body.push(['INSTANCES (what changed first)', '']);
  const shown = body.pushEach(entries, (e) => [...e.lines, '']);
  const grouped = entries.slice(shown).filter((e) => e.order > 0).length;
  leftOut(
    body,
    entries.length - shown,
    `more instances${grouped ? ` (${count(grouped)} of them counted in the root causes above)` : ''}`,
    fullReportUrl,
  );
  return { subject: truncate(subject, SUBJECT_LIMIT), body: `${[...body.lines, '', ...tail].join('\n')}\n` };
}

function leftOut(body: BudgetedLines, n: number, what: string, url: string | undefined): void {
  if (n <= 0) return;
  const where = url
    ? `all of them are in the full report: ${url}`
    : 'all of them are in the run report (`ssm-doctor scan --format markdown` from a shell with access to the account)';
  body.force(`…and ${count(n)} ${what}, left out to fit one email; ${where}`);
}

/** The subject's parenthesis: only what happened, in the words of `outcomes.ts`. */
function headlineNews(report: Report, changes: RunChanges): string {
  const outcomes = report.findings.map(fixOutcome);
  const n = (o: string) => outcomes.filter((x) => x === o).length;
  const news = [
    changes.newProblems.length && `${changes.newProblems.length} new`,
    changes.causeChanged.length && `${changes.causeChanged.length} cause changed`,
    changes.resolved.length && `${changes.resolved.length} resolved`,
    n('back-online') && `${n('back-online')} fixed and back online`,
    n('waiting-for-agent') && `${n('waiting-for-agent')} fixed, waiting for agent`,
    n('failed') && `${n('failed')} fix failed`,
    changes.configurationErrors.length && 'configuration problems',
  ].filter(Boolean);
  return news.length ? ` (${news.join(', ')})` : '';
}

function introLines(report: Report, backCount: number, unmanaged: readonly Finding[]): string[] {
  const s = report.summary;
  const lost = unmanaged.filter((f) => f.ssmStatus === 'ConnectionLost').length;
  return [
    `ssm-doctor checked ${count(s.runningInstances)} running instances in account ${report.accountId}, region ${report.region}, at ${report.generatedAt}. Remediation mode: ${report.settings.remediationMode}.`,
    `${count(unmanaged.length)} unmanaged (${count(unmanaged.length - lost)} not registered, ${count(lost)} connection lost); ${count(s.online + backCount)} online${backCount ? ` (${backCount} of them fixed in this run)` : ''}; ${count(s.ignored)} ignored; ${count(s.inGracePeriod)} in grace period.`,
  ];
}

function happenedLines(report: Report, changes: RunChanges, backOnline?: ReadonlySet<string>): string[] {
  const outcomes = report.findings.map(fixOutcome);
  const n = (o: string) => outcomes.filter((x) => x === o).length;
  const planned = report.findings.filter((f) => f.remediations.some((r) => r.status === 'planned')).length;
  const returned = backOnline ? changes.resolved.filter((e) => backOnline.has(e.instanceId)).length : 0;
  const lines = [
    changes.newProblems.length && `${count(changes.newProblems.length)} new unmanaged instances`,
    changes.causeChanged.length &&
      `${changes.causeChanged.length} with a different root cause than in the last email: ${changes.causeChanged
        .slice(0, 5)
        .map((c) => `${c.finding.instanceId} ${c.before} -> ${c.finding.rootCause}`)
        .join(', ')}${changes.causeChanged.length > 5 ? ', …' : ''}`,
    changes.resolved.length &&
      `${count(changes.resolved.length)} resolved${backOnline ? ` (${returned} back online, ${changes.resolved.length - returned} no longer running or no longer unmanaged)` : ''}`,
    n('back-online') && `${n('back-online')} fixed in this run and back online in Systems Manager`,
    n('waiting-for-agent') &&
      `${n('waiting-for-agent')} fixed in this run, waiting for the agent to retry (up to an hour; a reboot or agent restart makes it retry now)`,
    n('hardened') && `${n('hardened')} hardened (IMDSv2 enforced) but still unmanaged for another cause`,
    n('failed') && `${n('failed')} with a fix that failed`,
    planned && `${planned} with a fix that would run with remediation-mode=on`,
  ].filter((line): line is string => Boolean(line));
  return [
    'WHAT HAPPENED',
    ...(lines.length ? lines : ['Nothing changed since the last email.']).map((l) => `- ${l}`),
    '',
  ];
}

function byCauseLines(unmanaged: readonly Finding[]): string[] {
  if (!unmanaged.length) return [];
  const byCause = new Map<string, number>();
  for (const f of unmanaged) byCause.set(f.rootCause, (byCause.get(f.rootCause) ?? 0) + 1);
  const rows = [...byCause].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ['BY ROOT CAUSE', ...rows.map(([cause, n]) => `  ${String(n).padStart(6)}  ${cause}`), ''];
}

function groupLines(
  groups: readonly RootCauseGroup[],
  unmanaged: number,
  findings: readonly Finding[],
): string[] {
  if (!groups.length) return [];
  const byId = new Map(findings.map((f) => [f.instanceId, f]));
  const lines = [`ROOT CAUSES: ${groupsHeadline(groups, unmanaged)} Fix these first.`, ''];
  groups.forEach((g, i) => {
    const ids = g.instanceIds.slice(0, GROUP_IDS_SHOWN).join(', ');
    const more = g.instanceIds.length - GROUP_IDS_SHOWN;
    lines.push(
      `#${i + 1} ${g.cause} on ${g.resource}: ${count(g.instanceIds.length)} instances`,
      `   ${plainText(g.summary)}`,
      `   ${fixLine(g, byId)}`,
      `   Instances: ${ids}${more > 0 ? `, and ${count(more)} more` : ''}`,
      '',
    );
  });
  return lines;
}

/** The command to run, or the remediation that applies it with how far it got. */
function fixLine(group: RootCauseGroup, byId: ReadonlyMap<string, Finding>): string {
  if (!/^[a-z-]+$/.test(group.fix)) return `Run: ${plainText(group.fix)}`;
  const states = new Map<string, number>();
  for (const id of group.instanceIds) {
    const r = byId.get(id)?.remediations.find((x) => x.id === group.fix);
    const state = !r
      ? 'not listed'
      : r.status === 'planned' && !r.coveredBy
        ? `planned (${r.reason ?? 'dry-run'})`
        : r.status;
    states.set(state, (states.get(state) ?? 0) + 1);
  }
  const how = [...states].map(([state, n]) => `${n} ${state}`).join(', ');
  return `Fix by ssm-doctor: ${group.fix} (${how}) — one change for the whole group.`;
}

interface Entry {
  id: string;
  changed: boolean;
  /** The group number, or 0 for an instance in no group. */
  order: number;
  header: string;
  body: string[];
  lines: string[];
}

/** How much an entry says beyond its header: the most that fits is chosen per email. */
interface Detail {
  why: boolean;
  steps: number;
  link: boolean;
}
const DETAIL_LEVELS: readonly Detail[] = [
  { why: true, steps: STEPS_PER_ENTRY, link: true },
  { why: true, steps: 1, link: false },
  { why: true, steps: 0, link: false },
  { why: false, steps: 0, link: false },
];

interface ChangeMarks {
  fresh: ReadonlySet<string>;
  causeBefore: ReadonlyMap<string, string>;
}

const changeMarks = (changes: RunChanges): ChangeMarks => ({
  fresh: new Set(changes.newProblems.map((f) => f.instanceId)),
  causeBefore: new Map(changes.causeChanged.map((c) => [c.finding.instanceId, c.before])),
});

function entryOf(
  f: Finding,
  marks: ChangeMarks,
  changes: RunChanges,
  group: number | undefined,
  groupFix: string | undefined,
  detail: Detail,
  partition: string,
  region: string,
): Entry {
  const tags = changeTags(f, marks);
  const since = changes.since.get(f.instanceId);
  const outcome = fixOutcome(f);
  const status = outcome === 'back-online' ? `Online again (was ${f.ssmStatus})` : f.ssmStatus;
  const header = `${tags.map((t) => `[${t}] `).join('')}${labelOf(f.instanceId, f.name)} — ${status} — ${f.rootCause}${group ? ` (root cause #${group})` : ''} — since ${since ? day(since) : 'this run'}`;
  const done = f.remediations.filter((r) => !isNoise(r)).map(remediationText);
  const todo = detail.steps ? stepsToDo(f).specific.map((step) => plainText(step)) : [];
  // A grouped instance's cause and first command are the group's: only what is its own stays.
  const steps = groupFix ? todo.filter((step) => !step.includes(groupFix)) : todo;
  const degraded = degradationsLine(f);
  const why = plainText(explain(f), 600).replace('(see evidence)', '(all of them in the full report)');
  const body = [
    ...(group || !detail.why ? [] : [`  ${why}`]),
    ...(done.length ? [`  Done: ${done.join('; ')}`] : []),
    ...(degraded && outcome !== 'back-online' ? [`  ${degraded}`] : []),
    ...(outcome === 'back-online' ? [] : steps.slice(0, detail.steps).map((s) => `  - ${s}`)),
    ...(group || outcome === 'back-online' || !detail.link
      ? []
      : [`  ${consoleLinks(partition, region, f.instanceId)[0]}`]),
  ];
  return {
    id: f.instanceId,
    changed: tags.length > 0,
    // Instances in no group first: no group line says anything about them.
    order: group ?? 0,
    header,
    body,
    lines: [header, ...body],
  };
}

function changeTags(f: Finding, marks: ChangeMarks): string[] {
  const before = marks.causeBefore.get(f.instanceId);
  const outcome = fixOutcome(f);
  return [
    ...(marks.fresh.has(f.instanceId) ? ['NEW'] : []),
    ...(before ? [`CAUSE CHANGED: ${before} -> ${f.rootCause}`] : []),
    ...(outcome === 'back-online' ? ['FIXED, BACK ONLINE'] : []),
    ...(outcome === 'waiting-for-agent' ? ['FIX APPLIED, WAITING FOR AGENT'] : []),
    ...(outcome === 'hardened' ? ['HARDENED, STILL UNMANAGED'] : []),
    ...(outcome === 'failed' ? ['FIX FAILED'] : []),
  ];
}

/**
 * Lines that many entries would repeat (the same DNS-forwarding advice for a whole VPC, the same
 * cause sentence) are taken out of the entries and written once with the instances they concern.
 */
function hoistShared(entries: Entry[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const e of entries) {
    for (const line of new Set(e.body)) {
      const ids = seen.get(line);
      if (ids) ids.push(e.id);
      else seen.set(line, [e.id]);
    }
  }
  const shared = new Map([...seen].filter(([, ids]) => ids.length >= SHARED_AT));
  for (const e of entries) {
    e.body = e.body.filter((line) => !shared.has(line));
    e.lines = [e.header, ...e.body];
  }
  return shared;
}

function sharedLines(shared: ReadonlyMap<string, string[]>): string[] {
  if (!shared.size) return [];
  const lines = ['FOR SEVERAL INSTANCES (written once)'];
  for (const [line, ids] of shared) {
    const text = line.trim().replace(/^- /, '');
    const who = `${ids.slice(0, 20).join(', ')}${ids.length > 20 ? `, and ${count(ids.length - 20)} more` : ''}`;
    lines.push(`- ${text}`, `  (${count(ids.length)} instances: ${who})`);
  }
  return [...lines, ''];
}

/** Steps every unmanaged instance gets, once per platform, and the console pages. */
function commonLines(findings: readonly Finding[], partition: string, region: string): string[] {
  const byPlatform = new Map<string, Set<string>>();
  for (const f of findings) {
    if (fixOutcome(f) === 'back-online') continue;
    const steps = byPlatform.get(f.instance.platform) ?? new Set<string>();
    for (const step of stepsToDo(f).common) steps.add(plainText(step));
    byPlatform.set(f.instance.platform, steps);
  }
  if (!byPlatform.size) return [];
  const lines = ['ON ANY OF THESE INSTANCES'];
  for (const [platform, steps] of [...byPlatform].sort()) {
    if (!steps.size) continue;
    lines.push(`${platform}:`, ...[...steps].map((s) => `- ${s}`));
  }
  const [ec2, fleet] = consoleLinks(partition, region, '<instance-id>');
  return [...lines, `- ${ec2}`, `- ${fleet}`, ''];
}

function resolvedLine(e: LedgerEntry, backOnline: ReadonlySet<string> | undefined): string {
  const what = !backOnline
    ? 'no longer unmanaged'
    : backOnline.has(e.instanceId)
      ? 'back online in Systems Manager'
      : 'no longer a running unmanaged instance (stopped, terminated, tagged ignore, or relaunched)';
  return `- ${labelOf(e.instanceId, e.name)}: ${what} (was ${e.rootCause}, since ${day(e.firstSeen)})`;
}

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ').concat(' UTC');

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
      `Error: ${plainText(error?.Error ?? 'unknown', 500)}`,
      `Cause: ${plainText(error?.Cause ?? 'not given', 4000)}`,
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
