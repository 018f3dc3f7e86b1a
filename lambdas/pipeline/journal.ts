/**
 * The change journal as `applyPlan` sees it: one intent line before each write, one outcome line
 * after it. Where the lines go is the caller's: the workflow keeps them in the table
 * (workflow/journal.ts), the CLI writes them as JSON lines to stderr and `--journal FILE`.
 * A journal that already holds this change's outcome (a retried stage) hands it back, and the
 * change is reported as applied by this run instead of being made or re-read again.
 */
import type { FixId, Remediation, RemediationRecord, RemediationStatus } from '../engine/report-model.ts';

/** What identifies one change of a run: which fix, on what, for which instance. */
export interface ChangeKey {
  fix: FixId;
  instanceId: string;
  target: string;
}

export interface IntentLine extends ChangeKey {
  event: 'intent';
  at: string;
  runId?: string;
}

/** An outcome carries the remediation's record as it was written (its verification comes later). */
export interface OutcomeLine extends ChangeKey, Omit<RemediationRecord, 'verifiedAt'> {
  event: 'outcome';
  runId?: string;
  status: RemediationStatus;
  reason?: string;
  alsoAffects?: string[];
  /** Set when a retried stage found its own intent without an outcome and the re-read found the change made. */
  resumed?: boolean;
}

export type JournalLine = IntentLine | OutcomeLine;

export interface IntentAnswer {
  /** The intent was already recorded (by an earlier attempt of this run). */
  existed: boolean;
  /** The outcome an earlier attempt recorded, if it got that far. */
  outcome?: OutcomeLine;
}

export interface ChangeJournal {
  /** Records the intent before the write; a failure here stops the write (no change goes unrecorded). */
  intent(line: IntentLine): Promise<IntentAnswer>;
  outcome(line: OutcomeLine): Promise<void>;
}

export const changeId = (key: ChangeKey) => `${key.fix}#${key.target}#${key.instanceId}`;

export function outcomeLine(key: ChangeKey, remediation: Remediation, at: string): OutcomeLine {
  const { record } = remediation;
  return {
    event: 'outcome',
    fix: key.fix,
    instanceId: key.instanceId,
    target: key.target,
    at: record?.at ?? at,
    status: remediation.status,
    ...(remediation.reason ? { reason: remediation.reason } : {}),
    ...(remediation.alsoAffects?.length ? { alsoAffects: remediation.alsoAffects } : {}),
    ...(record?.operation ? { operation: record.operation } : {}),
    ...(record && 'before' in record ? { before: record.before } : {}),
    ...(record && 'after' in record ? { after: record.after } : {}),
    ...(record?.requestId ? { requestId: record.requestId } : {}),
    ...(record?.errorCode ? { errorCode: record.errorCode } : {}),
    ...(record?.message ? { message: record.message } : {}),
  };
}

/** The remediation a recorded outcome stands for (a retried stage resumes with it). */
export function fromOutcome(remediation: Remediation, line: OutcomeLine): Remediation {
  const { reason: _planned, ...rest } = remediation;
  return {
    ...rest,
    status: line.status,
    ...(line.reason ? { reason: line.reason } : {}),
    record: {
      at: line.at,
      ...(line.operation ? { operation: line.operation } : {}),
      ...('before' in line ? { before: line.before } : {}),
      ...('after' in line ? { after: line.after } : {}),
      ...(line.requestId ? { requestId: line.requestId } : {}),
      ...(line.errorCode ? { errorCode: line.errorCode } : {}),
      ...(line.message ? { message: line.message } : {}),
    },
  };
}

/**
 * An earlier attempt recorded the intent but no outcome (it died around the write): the re-read
 * finding the change already made means this run made it, so it is applied, never "already fixed".
 */
export function resumedRemediation(remediation: Remediation, intentExisted: boolean): Remediation {
  if (
    !intentExisted ||
    remediation.status !== 'skipped' ||
    remediation.reason?.split(':')[0] !== 'already-fixed'
  )
    return remediation;
  const { reason: _skipped, ...rest } = remediation;
  return { ...rest, status: 'applied' };
}

/** The CLI's journal: every line as one JSON line, to each writer (stderr, `--journal FILE`). */
export function lineJournal(...writers: ((line: string) => void)[]): ChangeJournal {
  const write = (line: JournalLine) => {
    const text = `${JSON.stringify({ message: 'ssm-doctor change', ...line })}\n`;
    for (const w of writers) w(text);
  };
  return {
    intent: async (line) => {
      write(line);
      return { existed: false };
    },
    outcome: async (line) => write(line),
  };
}
