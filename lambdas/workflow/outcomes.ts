/**
 * What a run did to each finding, in words that do not overstate: "fixed" only when SSM saw the
 * instance back online; a fix applied for the root cause is "waiting for the agent"; a change that
 * does not address any cause (IMDSv2 hardening of an instance still unmanaged for something else)
 * is "hardened", never "fixed". Pure; the email, the events and the counts share it.
 */
import { FIXES } from '../engine/remediation/fixes.ts';
import type { Finding, Remediation } from '../engine/report-model.ts';

export type FixOutcome = 'back-online' | 'waiting-for-agent' | 'hardened' | 'failed' | 'none';

export function fixOutcome(finding: Finding): FixOutcome {
  const { remediations, causes } = finding;
  if (remediations.some((r) => r.status === 'verified')) return 'back-online';
  if (remediations.some((r) => r.status === 'failed')) return 'failed';
  const applied = remediations.filter((r) => r.status === 'applied');
  // A fix for a degradation (the session actions) counts too: the instance waits for its agent.
  const defects = [...causes, ...(finding.degradations ?? [])];
  if (applied.some((r) => FIXES[r.id].resolves.some((cause) => defects.includes(cause))))
    return 'waiting-for-agent';
  return applied.length ? 'hardened' : 'none';
}

/** Skips that say nothing to the reader: the setting that would allow the fix is off by choice. */
export const isNoise = (r: Remediation) => r.status === 'skipped' && r.reason === 'not-enabled';

/** One remediation in a few words. */
export function remediationText(r: Remediation): string {
  const shared = r.coveredBy ? ` (the same change as for ${r.coveredBy})` : '';
  switch (r.status) {
    case 'planned':
      return r.coveredBy ? `${r.id} would run${shared}` : `${r.id} would run (${r.reason ?? 'dry-run'})`;
    case 'applied':
      return `${r.id} applied${r.record?.at ? ` at ${r.record.at}` : ''}${shared}`;
    case 'verified':
      return `${r.id} applied, back online${r.record?.verifiedAt ? ` at ${r.record.verifiedAt}` : ''}`;
    case 'failed':
      return `${r.id} failed${r.record?.errorCode ? ` (${r.record.errorCode})` : ''}${r.reason ? `: ${r.reason}` : ''}`;
    case 'skipped':
      return `${r.id} skipped: ${r.reason ?? 'no reason given'}`;
  }
}
