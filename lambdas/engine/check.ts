/**
 * The shape every diagnostic check has: an id, the facts it reads (which decide the IAM actions
 * it needs, see `permissions.ts`), and a pure evaluation over one candidate's facts.
 */
import type { CauseCode } from './causes.ts';
import type { FactSource } from './fact-sources.ts';
import type { InstanceFacts } from './facts.ts';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown' | 'skip';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  /** One human sentence. */
  summary: string;
  /** Present exactly when `status` is `fail`. */
  cause?: CauseCode;
  /**
   * Set on a `fail` whose defect does not stop registration (the ec2messages/ssmmessages paths, the
   * session/command actions): its cause goes to the finding's `degradations`, not its `causes`.
   */
  degrading?: true;
  evidence: Record<string, unknown>;
  /** Extra next steps this check wants a person to take (deduplicated by the finding). */
  nextSteps?: string[];
}

export interface Check {
  id: string;
  /** What it verifies, for `--help`-like listings and the README. */
  title: string;
  reads: readonly FactSource[];
  evaluate(facts: InstanceFacts): CheckResult | CheckResult[];
}

/** Small constructors so every check builds results the same way. */
export const result = {
  pass: (id: string, summary: string, evidence: Record<string, unknown> = {}): CheckResult => ({
    id,
    status: 'pass',
    summary,
    evidence,
  }),
  warn: (
    id: string,
    summary: string,
    evidence: Record<string, unknown> = {},
    nextSteps?: string[],
  ): CheckResult => ({
    id,
    status: 'warn',
    summary,
    evidence,
    ...(nextSteps ? { nextSteps } : {}),
  }),
  fail: (
    id: string,
    cause: CauseCode,
    summary: string,
    evidence: Record<string, unknown> = {},
    nextSteps?: string[],
  ): CheckResult => ({ id, status: 'fail', cause, summary, evidence, ...(nextSteps ? { nextSteps } : {}) }),
  /** Marks a result's failure as degrading (management only); other statuses pass through. */
  degrading: (outcome: CheckResult): CheckResult =>
    outcome.status === 'fail' ? { ...outcome, degrading: true } : outcome,
  unknown: (id: string, summary: string, evidence: Record<string, unknown> = {}): CheckResult => ({
    id,
    status: 'unknown',
    summary,
    evidence,
  }),
  skip: (id: string, summary: string, evidence: Record<string, unknown> = {}): CheckResult => ({
    id,
    status: 'skip',
    summary,
    evidence,
  }),
};
