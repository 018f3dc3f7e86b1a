/**
 * What planning knows and is given (shared types: the fixes and the planner both read them, so
 * neither imports the other).
 */
import type { CauseCode } from '../causes.ts';
import type { Readout } from '../readout.ts';
import type { FixId, SkipReason } from '../report-model.ts';
import type { Settings } from '../settings.ts';

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

/**
 * A role `attach-core-policy` might change, as read right before planning
 * (`aws/role-assessment.ts`): who uses it, and whether the change may and can help.
 */
export interface RoleAssessment {
  roleName: string;
  /** Every instance in the region that uses the role, through any of its instance profiles, sorted. */
  users: string[];
  /** Those of them that are opted out (`ssm-doctor:remediate` ≠ `true`). */
  optedOutUsers: string[];
  /** Set when the role must not or cannot be changed: the skip reason and what stops it. */
  blocked?: { reason: SkipReason; detail: string };
  /** Set when attaching helps only partly: what stays blocked. */
  partly?: string;
}

export interface PlanContext {
  settings: Pick<Settings, 'remediationMode' | 'enforceImdsV2' | 'maxRemediationsPerRun'>;
  /** Roles assessed for `attach-core-policy`, by name; a role missing here is not changed. */
  roles?: ReadonlyMap<string, RoleAssessment>;
  /** From the ledger: a fix tried on this target too recently to try again. */
  coolingDown?: (target: string, fix: FixId) => boolean;
  /** The circuit breaker tripped (`circuitBreakerOf`): nothing is changed this run. */
  circuitOpen?: boolean;
}

/** A fix that applies to a subject: on what, and the reason it must still not run (before mode, cooldown and cap). */
export interface Applicable {
  target: string;
  guard?: SkipReason;
  detail?: string;
  /** Other instances the change reaches (a role's other users), sorted. */
  alsoAffects?: string[];
}
