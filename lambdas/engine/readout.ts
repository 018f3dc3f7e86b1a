/**
 * A fact read from AWS, or the reason it could not be read. Adapters turn the errors they expect
 * (AccessDenied, throttled past retries, NotFound of a whole area) into a `ReadProblem`, so a
 * check that needs the fact answers `unknown` with that reason instead of crashing or guessing.
 */
export type Readout<T> = { ok: true; value: T } | { ok: false; problem: ReadProblem };

export interface ReadProblem {
  /** The API operation that failed, e.g. `DescribeRouteTables`. */
  operation: string;
  /** The AWS error code, e.g. `UnauthorizedOperation`, `ThrottlingException`. */
  code: string;
  message: string;
  /**
   * `denied` / `throttled`: the read could not be made, which a person must fix (a run-level
   * error names it); `gone`: what was asked for does not exist (any more); absent: not read for
   * another reason (not asked, no data points).
   */
  kind?: 'denied' | 'throttled' | 'gone';
}

export const readOk = <T>(value: T): Readout<T> => ({ ok: true, value });
export const readFailed = <T = never>(problem: ReadProblem): Readout<T> => ({ ok: false, problem });

export function describeProblem(problem: ReadProblem): string {
  return `${problem.operation} failed with ${problem.code}: ${problem.message}`;
}
