/**
 * The circuit breaker (DESIGN.md "Remediation"): when more instances became unmanaged since the
 * last run than `circuit-breaker-threshold`, nothing is changed that run — a mass event (a broken
 * AMI, a deleted route, an SCP) is an outage to look at, not hundreds of changes to make — and
 * the run says why. With no previous run to compare with (the first run, a CLI scan) the count
 * alone never trips it. Pure.
 */
import type { RunError } from '../run-error.ts';

export interface CircuitBreaker {
  open: boolean;
  /** Candidates of this run that were not open problems after the last run. */
  newlyUnmanaged: number;
  /** The run-level error that says why nothing was changed (only when open). */
  error?: RunError;
}

export function circuitBreakerOf(
  candidateIds: readonly string[],
  /** The open-problem set after the last run; `undefined` when no run completed before. */
  openBefore: ReadonlySet<string> | undefined,
  threshold: number,
): CircuitBreaker {
  if (!openBefore) return { open: false, newlyUnmanaged: 0 };
  const newlyUnmanaged = candidateIds.filter((id) => !openBefore.has(id)).length;
  if (newlyUnmanaged <= threshold) return { open: false, newlyUnmanaged };
  return {
    open: true,
    newlyUnmanaged,
    error: {
      code: 'CircuitBreakerOpen',
      parameter: 'circuit-breaker-threshold',
      message: `${newlyUnmanaged} instances became unmanaged since the last run, more than circuit-breaker-threshold (${threshold}): no fix is applied this run. Look for what they share (the groups below) before raising the threshold.`,
    },
  };
}
