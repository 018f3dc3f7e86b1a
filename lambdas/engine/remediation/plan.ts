/**
 * Remediation planning: which of the three safe fixes apply to each finding, and whether each
 * would run now. Pure; every applicable fix is listed even when it will not run, with the reason.
 * What `dry-run` plans is exactly what `on` applies: the applier only turns `planned` into
 * `applied`/`failed`/`skipped` after re-reading the instance.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type { CauseCode } from '../causes.ts';
import type { InstanceFacts } from '../facts.ts';
import type { Readout } from '../readout.ts';
import type { Finding, FixId, Remediation, SkipReason } from '../report-model.ts';
import type { Settings } from '../settings.ts';
import { isOptedOut } from '../tags.ts';

/** What planning needs to know about one finding's instance (small enough to store per run). */
export interface PlanSubject {
  instanceId: string;
  causes: CauseCode[];
  optedOut: boolean;
  instanceProfileArn?: string;
  roleName?: string;
  httpEndpoint?: string;
  httpTokens?: string;
  /** Sum of MetadataNoToken over the look-back; absent when it was not read. */
  metadataNoToken?: Readout<number>;
}

export interface PlanContext {
  settings: Pick<Settings, 'remediationMode' | 'enforceImdsV2' | 'maxRemediationsPerRun'>;
  /** Running instances per instance profile ARN, to say who else a role change affects. */
  instancesByProfile?: ReadonlyMap<string, readonly string[]>;
  /** From the ledger: a fix tried on this target too recently to try again. */
  coolingDown?: (target: string, fix: FixId) => boolean;
  /**
   * Instances tagged `ssm-doctor:remediate=false` (see `optedOutInstances`). A role change reaches
   * every instance using the role, so one opted-out user holds it back for all.
   */
  optedOut?: ReadonlySet<string>;
}

/** Ids of the instances tagged `ssm-doctor:remediate=false` (any case), for `PlanContext.optedOut`. */
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

interface Applicable {
  id: FixId;
  target: string;
  /** Reason a fix that applies must still not run, before mode, cooldown and cap. */
  guard?: SkipReason;
}

/** The fixes that apply to a subject, in a stable order. */
export function applicableFixes(subject: PlanSubject, settings: PlanContext['settings']): Applicable[] {
  const has = (cause: CauseCode) => subject.causes.includes(cause);
  const fixes: Applicable[] = [];
  const credentialsUnusable =
    has('NO_INSTANCE_PROFILE') || has('DHMC_ROLE_INVALID') || has('DHMC_AGENT_TOO_OLD');
  if (!subject.instanceProfileArn && credentialsUnusable) {
    fixes.push({ id: 'attach-instance-profile', target: subject.instanceId });
  }
  if (has('ROLE_MISSING_SSM_PERMISSIONS') && subject.roleName) {
    fixes.push({ id: 'attach-core-policy', target: subject.roleName });
  }
  if (has('IMDS_DISABLED')) {
    // With the endpoint disabled nothing can be using IMDSv1, so no usage guard is needed.
    fixes.push({ id: 'enforce-imdsv2', target: subject.instanceId });
  } else if (subject.httpTokens === 'optional') {
    fixes.push({ id: 'enforce-imdsv2', target: subject.instanceId, guard: imdsV2Guard(subject, settings) });
  }
  return fixes;
}

function imdsV2Guard(subject: PlanSubject, settings: PlanContext['settings']): SkipReason | undefined {
  if (!settings.enforceImdsV2) return 'not-enabled';
  const usage = subject.metadataNoToken;
  if (!usage?.ok) return 'imdsv1-usage-unknown';
  return usage.value > 0 ? 'imdsv1-in-use' : undefined;
}

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
    for (const fix of applicableFixes(subject, settings)) {
      const remediation: Remediation = { id: fix.id, status: 'planned', target: fix.target };
      const others = alsoAffected(subject, fix.id, context);
      // Name enough of them to act on; a role behind thousands of instances must not bloat every finding.
      if (others.length) remediation.alsoAffects = others.slice(0, ALSO_AFFECTS_LISTED);
      if (others.length > ALSO_AFFECTS_LISTED) remediation.alsoAffectsCount = others.length;
      const key = `${fix.id}:${fix.target}`;
      const first = claimed.get(key);
      const reason = skipReason(subject, fix, context, first !== undefined || budget > 0);
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
): SkipReason | undefined {
  if (context.settings.remediationMode === 'off') return 'mode-off';
  if (subject.optedOut) return 'opted-out';
  if (fix.id === 'attach-core-policy' && sharedWithOptedOut(subject, context)) return 'opted-out';
  if (fix.guard) return fix.guard;
  if (context.coolingDown?.(fix.target, fix.id)) return 'cooldown';
  if (!withinCap) return 'cap-reached';
  return undefined;
}

function sharedWithOptedOut(subject: PlanSubject, context: PlanContext): boolean {
  return alsoAffected(subject, 'attach-core-policy', context).some((id) => context.optedOut?.has(id));
}

const ALSO_AFFECTS_LISTED = 50;

function alsoAffected(subject: PlanSubject, fix: FixId, context: PlanContext): string[] {
  if (fix !== 'attach-core-policy' || !subject.instanceProfileArn) return [];
  const users = context.instancesByProfile?.get(subject.instanceProfileArn) ?? [];
  return users.filter((id) => id !== subject.instanceId);
}
