/**
 * How a profile defect turns into a result. The agent falls back to DHMC when the profile cannot
 * give it credentials, so such a defect is a `fail` only when DHMC definitely cannot take over;
 * when it can, it is a `warn`; when that cannot be told, `unknown`. Also the shared DHMC wording.
 */
import type { CauseCode } from '../../causes.ts';
import { type CheckResult, result } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { DHMC_MIN_AGENT_VERSION } from './agent-version.ts';
import { DHMC_POLICY } from './grants.ts';
import { enableDhmc } from './next-steps.ts';
import { type DhmcAssessment, resolveCredentials } from './resolve.ts';

export const withNextSteps = (outcome: CheckResult, nextSteps: string[]): CheckResult =>
  nextSteps.length > 0 ? { ...outcome, nextSteps } : outcome;

const dhmcRoleName = (dhmc: DhmcAssessment) => dhmc.role?.name ?? dhmc.settingValue ?? '<unset>';

const ISSUE_WORDS = {
  missing: 'does not exist',
  untrusted: 'does not trust ssm.amazonaws.com',
  'lacks-policy': `lacks ${DHMC_POLICY} (or equivalent permissions)`,
} as const;

export const dhmcIssues = (dhmc: DhmcAssessment) => dhmc.issues.map((issue) => ISSUE_WORDS[issue]).join(', ');

/** Why DHMC cannot cover the instance, as a clause. */
export function whyDhmcCannot(dhmc: DhmcAssessment): string {
  if (dhmc.state === 'off') return 'Default Host Management Configuration is off ($None)';
  if (dhmc.state === 'invalid') return `the DHMC role ${dhmcRoleName(dhmc)} ${dhmcIssues(dhmc)}`;
  if (dhmc.agent === 'too-old')
    return `agent ${dhmc.agentVersion} is older than ${DHMC_MIN_AGENT_VERSION}, which DHMC needs`;
  return `DHMC could not be assessed (${dhmc.problem ?? 'unknown reason'})`;
}

/** What the DHMC checks and profile checks put in evidence about DHMC. */
export function dhmcEvidence(dhmc: DhmcAssessment): Record<string, unknown> {
  return {
    setting: dhmc.settingValue ?? null,
    state: dhmc.state,
    ...(dhmc.role ? { roleArn: dhmc.role.arn } : {}),
    ...(dhmc.issues.length > 0 ? { issues: dhmc.issues } : {}),
    ...(dhmc.managementGaps ? { managementGaps: dhmc.managementGaps } : {}),
    ...(dhmc.trust?.conditions ? { trustConditions: dhmc.trust.conditions } : {}),
    agentVersion: dhmc.agentVersion ?? 'unknown',
    ...(dhmc.imdsEnabled ? {} : { imds: 'disabled: DHMC needs IMDSv2 (see instance.metadata)' }),
    ...(dhmc.problem ? { problem: dhmc.problem } : {}),
  };
}

/**
 * A defect in the instance profile that DHMC could cover. `defect` is a clause naming the ids;
 * `nextSteps` fix the profile (offered even when DHMC covers: a broken profile still confuses).
 */
export function profileDefect(
  id: string,
  facts: InstanceFacts,
  cause: CauseCode,
  defect: string,
  evidence: Record<string, unknown>,
  nextSteps: string[],
): CheckResult {
  const { dhmc, dhmcCovers } = resolveCredentials(facts);
  const withDhmc = { ...evidence, dhmc: dhmcEvidence(dhmc) };
  if (dhmcCovers === 'yes') {
    const summary = `${defect}, but Default Host Management Configuration (role ${dhmcRoleName(dhmc)}) takes over.`;
    return result.warn(id, summary, withDhmc, nextSteps);
  }
  if (dhmcCovers === 'no') {
    const alternative = dhmc.state === 'off' ? [`Or turn on DHMC instead: ${enableDhmc(facts)}`] : [];
    return result.fail(id, cause, `${defect}, and ${whyDhmcCannot(dhmc)}.`, withDhmc, [
      ...nextSteps,
      ...alternative,
    ]);
  }
  return withNextSteps(
    result.unknown(id, `${defect}; whether DHMC takes over is unknown: ${whyDhmcCannot(dhmc)}.`, withDhmc),
    nextSteps,
  );
}
