/** One-line words for a finding and its fixes, shared by the table, the markdown and the email. */
import { CAUSE_SUMMARY } from './causes.ts';
import type { Finding, Remediation } from './report-model.ts';

export function explain(finding: Finding): string {
  if (finding.rootCause === 'UNKNOWN') {
    const unknown = finding.checks.filter((check) => check.status === 'unknown');
    const reads = finding.unreadable?.map((r) => `${r.api} ${r.code}`) ?? [];
    if (!unknown.length && !reads.length)
      return 'nothing blocking found from outside the instance: check the agent on it';
    const because = reads.length ? ` (${reads.join(', ')})` : '';
    const which = unknown.length ? `: ${unknown.map((c) => c.id).join(', ')} unknown` : '';
    return `could not be fully checked from outside${because}${which}`;
  }
  const failed = finding.checks.find((check) => check.status === 'fail' && check.cause === finding.rootCause);
  return failed?.summary ?? CAUSE_SUMMARY[finding.rootCause];
}

export function fixesOf(remediations: readonly Remediation[]): string {
  if (!remediations.length) return '-';
  return remediations
    .map((r) => `${r.id} (${r.status}${r.status === 'skipped' && r.reason ? `: ${r.reason}` : ''})`)
    .join(', ');
}
