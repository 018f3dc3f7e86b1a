/**
 * The per-instance memory between runs, and what changed since the last run: the email goes out
 * for changes (new problems, a different cause, recoveries, fixes applied or failed, bad
 * settings), not for the same news every hour. Pure.
 */
import type { RootCause } from '../engine/causes.ts';
import type { Finding, FixId, RemediationStatus, RunError } from '../engine/report-model.ts';

export interface LedgerEntry {
  instanceId: string;
  name: string | null;
  firstSeen: string;
  lastSeen: string;
  rootCause: RootCause;
  fixes: { id: FixId; target: string; status: RemediationStatus; at: string }[];
  lastNotified?: string;
}

/** A fix tried (applied or failed) is not tried again on the same target sooner than this. */
export const FIX_COOLDOWN_HOURS = 6;
const KEPT_FIX_ATTEMPTS = 10;

export interface RunChanges {
  newProblems: Finding[];
  causeChanged: { finding: Finding; before: RootCause }[];
  resolved: LedgerEntry[];
  fixesApplied: Finding[];
  fixesFailed: Finding[];
  /** Run-level problems (settings, unreadable areas): news while they last. */
  configurationErrors: RunError[];
  /** When each still-open finding was first seen (from the ledger; absent for new ones). */
  since: ReadonlyMap<string, string>;
}

export function changesSince(
  previous: ReadonlyMap<string, LedgerEntry>,
  findings: readonly Finding[],
  errors: readonly RunError[],
): RunChanges {
  const current = new Set(findings.map((f) => f.instanceId));
  const touched = (status: RemediationStatus) =>
    findings.filter((f) => f.remediations.some((r) => r.status === status));
  return {
    newProblems: findings.filter((f) => !previous.has(f.instanceId)),
    causeChanged: findings.flatMap((finding) => {
      const before = previous.get(finding.instanceId)?.rootCause;
      return before && before !== finding.rootCause ? [{ finding, before }] : [];
    }),
    resolved: [...previous.values()].filter((entry) => !current.has(entry.instanceId)),
    fixesApplied: [...new Set([...touched('applied'), ...touched('verified')])],
    fixesFailed: touched('failed'),
    configurationErrors: [...errors],
    since: new Map(
      findings.flatMap((f) => {
        const first = previous.get(f.instanceId)?.firstSeen;
        return first ? [[f.instanceId, first] as const] : [];
      }),
    ),
  };
}

export function hasChanges(changes: RunChanges): boolean {
  const { since: _since, ...news } = changes;
  return Object.values(news).some((list) => list.length > 0);
}

export function nextLedgerEntry(
  previous: LedgerEntry | undefined,
  finding: Finding,
  now: Date,
  notified: boolean,
): LedgerEntry {
  const at = now.toISOString();
  const tried = finding.remediations
    .filter((r) => r.status === 'applied' || r.status === 'verified' || r.status === 'failed')
    .map((r) => ({ id: r.id, target: r.target, status: r.status, at }));
  const lastNotified = notified ? at : previous?.lastNotified;
  return {
    instanceId: finding.instanceId,
    name: finding.name,
    firstSeen: previous?.firstSeen ?? at,
    lastSeen: at,
    rootCause: finding.rootCause,
    fixes: [...(previous?.fixes ?? []), ...tried].slice(-KEPT_FIX_ATTEMPTS),
    ...(lastNotified ? { lastNotified } : {}),
  };
}

/**
 * How long an unchanged entry goes unwritten: its `lastSeen` may lag by this much, and it is
 * rewritten before its expiry (store.ts, 90 days) can drop a problem that is still open.
 */
export const LEDGER_REFRESH_DAYS = 7;

/** Whether `next` says anything `previous` does not: otherwise the write is skipped (README "Scale"). */
export function ledgerNeedsWrite(previous: LedgerEntry | undefined, next: LedgerEntry, now: Date): boolean {
  if (!previous) return true;
  const { lastSeen: before, ...was } = previous;
  const { lastSeen: _after, ...is } = next;
  if (canonical(was) !== canonical(is)) return true;
  return now.getTime() - new Date(before).getTime() >= LEDGER_REFRESH_DAYS * 86_400_000;
}

/** JSON with keys sorted: an entry read back from DynamoDB keeps no key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The planner's cooldown question, answered from the ledger. */
export function coolingDownFrom(entries: ReadonlyMap<string, LedgerEntry>, now: Date) {
  const since = now.getTime() - FIX_COOLDOWN_HOURS * 3_600_000;
  const recent = new Set<string>();
  for (const entry of entries.values()) {
    for (const fix of entry.fixes)
      if (new Date(fix.at).getTime() > since) recent.add(`${fix.id}:${fix.target}`);
  }
  return (target: string, fix: FixId) => recent.has(`${fix}:${target}`);
}
