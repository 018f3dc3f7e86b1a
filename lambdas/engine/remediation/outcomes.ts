/** Counting and copying remediation outcomes across findings (pure). */
import type { Finding, Remediation, RemediationStatus } from '../report-model.ts';

export type RemediationCounts = Record<RemediationStatus, number>;

/** Per status, over every finding; a shared-role change counts once (covered ones are not counted). */
export function countRemediations(findings: readonly Finding[]): RemediationCounts {
  const counts: RemediationCounts = { planned: 0, applied: 0, verified: 0, skipped: 0, failed: 0 };
  for (const finding of findings) {
    for (const remediation of finding.remediations) if (!remediation.coveredBy) counts[remediation.status]++;
  }
  return counts;
}

/** The remediation another finding's points at through `coveredBy`. */
export function coveringRemediation(
  findings: readonly Finding[],
  covered: Remediation,
): Remediation | undefined {
  const owner = findings.find((f) => f.instanceId === covered.coveredBy);
  return owner?.remediations.find((r) => r.id === covered.id && r.target === covered.target && !r.coveredBy);
}

/**
 * A covered remediation takes the outcome of the change it shares: applied, failed or skipped,
 * with the same record (so each finding's email can say what happened to its role).
 */
export function takeOutcome(covered: Remediation, outcome: Remediation): Remediation {
  const { reason: _reason, record: _record, ...rest } = covered;
  const same = `same change as for ${covered.coveredBy}`;
  return {
    ...rest,
    status: outcome.status,
    reason: outcome.status === 'applied' || outcome.status === 'planned' ? same : (outcome.reason ?? same),
    ...(outcome.record ? { record: outcome.record } : {}),
  };
}
