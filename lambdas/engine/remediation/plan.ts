/**
 * Remediation planning: which fixes apply to each finding (each fix says so itself, `fixes.ts`),
 * and whether each would run now. Pure; every applicable fix is listed even when it will not run,
 * with the reason. What `dry-run` plans is exactly what `on` applies: the applier only turns
 * `planned` into `applied`/`failed`/`skipped` after re-reading what the fix depends on.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../facts.ts';
import type { Finding, Remediation, SkipReason } from '../report-model.ts';
import { isOptedOut } from '../tags.ts';
import { FIX_IDS, FIXES } from './fixes.ts';
import type { Applicable, PlanContext, PlanSubject } from './subject.ts';

export type { PlanContext, PlanSubject, RoleAssessment } from './subject.ts';

/** Ids of the opted-out instances (`ssm-doctor:remediate` ≠ `true`, any case). */
export function optedOutInstances(instances: readonly Instance[]): Set<string> {
  return new Set(instances.filter((i) => isOptedOut(i.Tags)).map((i) => i.InstanceId ?? ''));
}

export function planSubjectOf(facts: InstanceFacts, finding: Finding): PlanSubject {
  const { instance } = facts.candidate;
  const role = facts.profile?.ok && facts.profile.value.role?.ok ? facts.profile.value.role.value : undefined;
  return {
    instanceId: finding.instanceId,
    // attach-core-policy also fixes a role that only degrades management (report-format.md).
    causes: [
      ...finding.causes,
      ...(finding.degradations ?? []).filter((code) => code === 'ROLE_MISSING_SSM_PERMISSIONS'),
    ],
    optedOut: isOptedOut(facts.candidate.instance.Tags),
    ...(instance.IamInstanceProfile?.Arn ? { instanceProfileArn: instance.IamInstanceProfile.Arn } : {}),
    ...(role ? { roleName: role.name } : {}),
    ...(instance.MetadataOptions?.HttpEndpoint
      ? { httpEndpoint: instance.MetadataOptions.HttpEndpoint }
      : {}),
    ...(instance.MetadataOptions?.HttpTokens ? { httpTokens: instance.MetadataOptions.HttpTokens } : {}),
    ...(facts.metadataNoToken ? { metadataNoToken: facts.metadataNoToken } : {}),
  };
}

/** The role names `attach-core-policy` may be planned for: the ones to assess before planning. */
export function rolesToAssess(subjects: readonly PlanSubject[]): string[] {
  const names = subjects.flatMap((s) =>
    s.roleName && s.causes.includes('ROLE_MISSING_SSM_PERMISSIONS') ? [s.roleName] : [],
  );
  return [...new Set(names)].sort();
}

/** Who else a change reaches is named up to this many times; the count says the rest. */
export const ALSO_AFFECTS_LISTED = 50;

/**
 * Plans every subject in order (instance id ascending: the cap is applied in findings order).
 * A role shared by several findings is changed once: the later findings point at the first.
 */
export function planRemediations(
  subjects: readonly PlanSubject[],
  context: PlanContext,
): Map<string, Remediation[]> {
  const { settings } = context;
  const plans = new Map<string, Remediation[]>();
  /** fix:target → the instance whose remediation makes that change. */
  const claimed = new Map<string, string>();
  let budget = settings.maxRemediationsPerRun;
  for (const subject of [...subjects].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))) {
    const remediations: Remediation[] = [];
    for (const id of FIX_IDS) {
      const fix = FIXES[id].applies(subject, context);
      if (!fix) continue;
      const remediation: Remediation = { id, status: 'planned', target: fix.target };
      const others = fix.alsoAffects ?? [];
      // Name enough of them to act on; a role behind thousands of instances must not bloat every finding.
      if (others.length) remediation.alsoAffects = others.slice(0, ALSO_AFFECTS_LISTED);
      if (others.length > ALSO_AFFECTS_LISTED) remediation.alsoAffectsCount = others.length;
      if (fix.detail) remediation.detail = fix.detail;
      const key = `${id}:${fix.target}`;
      const first = claimed.get(key);
      const reason = skipReason(subject, fix, context, first !== undefined || budget > 0, id);
      if (reason) {
        Object.assign(remediation, { status: 'skipped', reason });
      } else if (first) {
        Object.assign(remediation, { reason: `same change as for ${first}`, coveredBy: first });
      } else {
        budget--;
        remediation.reason = settings.remediationMode === 'dry-run' ? 'dry-run' : 'will-apply';
        claimed.set(key, subject.instanceId);
      }
      remediations.push(remediation);
    }
    plans.set(subject.instanceId, remediations);
  }
  return plans;
}

function skipReason(
  subject: PlanSubject,
  fix: Applicable,
  context: PlanContext,
  withinCap: boolean,
  id: Remediation['id'],
): SkipReason | undefined {
  if (context.settings.remediationMode === 'off') return 'mode-off';
  if (subject.optedOut) return 'opted-out';
  if (fix.guard) return fix.guard;
  if (context.circuitOpen) return 'circuit-breaker';
  if (context.coolingDown?.(fix.target, id)) return 'cooldown';
  if (!withinCap) return 'cap-reached';
  return undefined;
}
