/** The `ssm-doctor/report@1` document (see shared/report-format.md). */
import type { CauseCode, RootCause } from './causes.ts';
import type { CheckResult } from './check.ts';
import type { SsmStatus } from './facts.ts';
import type { RunError } from './run-error.ts';
import type { Settings } from './settings.ts';

export const REPORT_FORMAT = 'ssm-doctor/report@1';

export type FixId = 'attach-instance-profile' | 'attach-core-policy' | 'enforce-imdsv2';
export type RemediationStatus = 'planned' | 'applied' | 'verified' | 'skipped' | 'failed';
export type SkipReason =
  | 'mode-off'
  | 'opted-out'
  | 'cap-reached'
  | 'cooldown'
  | 'imdsv1-in-use'
  /** CloudWatch could not say whether IMDSv1 is in use: never guess in favour of a change. */
  | 'imdsv1-usage-unknown'
  | 'not-enabled'
  /** Attaching the policy cannot make the role usable: trust, explicit deny, boundary or SCP (`detail`). */
  | 'would-not-help'
  /** Another instance that uses the role is opted out: a role change would reach it too. */
  | 'shared-with-opted-out'
  /** Who uses the role, or whether it may be changed, could not be read: never guess in favour of a change. */
  | 'role-unreadable'
  /** Re-read right before acting: someone or something already fixed it. */
  | 'already-fixed'
  /** Re-read right before acting: no longer running. */
  | 'not-running'
  /**
   * Re-read right before acting: the instance no longer looks the way the plan assumed (its
   * profile or role was swapped, its metadata endpoint was switched), so the planned change may
   * not be the right one any more. The next run plans again from the new state.
   */
  | 'changed-since-planning'
  /** More instances became unmanaged since the last run than `circuit-breaker-threshold`: nothing is changed this run. */
  | 'circuit-breaker';

export interface Remediation {
  id: FixId;
  status: RemediationStatus;
  /** Why it is skipped / failed, or `dry-run` for a planned fix; absent when applied. */
  reason?: string;
  /** What else to know: the IAM layer that makes a fix useless, what stays blocked, who opted out. */
  detail?: string;
  /** What the fix acts on: the instance id or the role name. */
  target: string;
  /** Set when another finding's remediation makes this same change (a shared role): its instance id. */
  coveredBy?: string;
  /** Other instances a change to a shared role also affects (the first 50). */
  alsoAffects?: string[];
  /** How many other instances it affects, when that is more than `alsoAffects` lists. */
  alsoAffectsCount?: number;
  /** Recorded when applied (or failed): before/after state, time, request id, error. */
  record?: RemediationRecord;
}

export interface RemediationRecord {
  at: string;
  /** The write that was made (or would have been), e.g. `ec2:AssociateIamInstanceProfile`. */
  operation?: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  errorCode?: string;
  message?: string;
  /** When SSM was seen reporting the instance `Online` after the fix. */
  verifiedAt?: string;
}

export interface Finding {
  instanceId: string;
  name: string | null;
  ssmStatus: SsmStatus;
  rootCause: RootCause;
  causes: CauseCode[];
  /**
   * Defects that do not stop registration but break Run Command / Session Manager once registered
   * (the ec2messages/ssmmessages paths and actions). A code is in `causes` or here, never both.
   * `diagnose` always sets it; optional so findings stored before it existed still load.
   */
  degradations?: CauseCode[];
  checks: CheckResult[];
  remediations: Remediation[];
  nextSteps: string[];
  /** Reads this finding needed that were denied or throttled (the run's `errors` name what to grant). */
  unreadable?: UnreadableRead[];
  /** Extra context that does not fit elsewhere: platform, vpc, subnet, profile, agent, last ping. */
  instance: FindingInstance;
}

export interface UnreadableRead {
  /** IAM action of the read, e.g. `ec2:DescribeRouteTables`. */
  api: string;
  /** The AWS error code, e.g. `UnauthorizedOperation`. */
  code: string;
}

export interface FindingInstance {
  platform: 'linux' | 'windows' | 'macos' | 'unknown';
  vpcId?: string;
  subnetId?: string;
  privateIpAddress?: string;
  instanceProfileArn?: string;
  launchTime?: string;
  agentVersion?: string;
  lastPingDateTime?: string;
}

export interface Summary {
  runningInstances: number;
  online: number;
  notRegistered: number;
  connectionLost: number;
  ignored: number;
  inGracePeriod: number;
  /**
   * Running instances operated by an AWS service (`Operator.Managed`): counted, never judged.
   * `discover` always sets it; optional so summaries stored before it existed still load.
   */
  operatedByService?: number;
}

export type { RunError } from './run-error.ts';

/** Findings that share one blocking resource and one fix (see `groups.ts`). */
export interface RootCauseGroup {
  cause: CauseCode;
  /** The thing to change: VPC, route table, NAT gateway, endpoint, ACL, security groups, profile, role, AMI, DHMC setting. */
  resource: string;
  instanceIds: string[];
  /** One human sentence. */
  summary: string;
  /** One command, or the id of the remediation that applies it. */
  fix: string;
}

/** A running instance hidden by `ssm-doctor:ignore=true` (report-format.md `ignored`). */
export interface IgnoredInstance {
  instanceId: string;
  name: string | null;
  /** The tag as found on the instance, e.g. `ssm-doctor:ignore=true`. */
  tag: string;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  accountId: string;
  region: string;
  generatedAt: string;
  settings: Settings;
  summary: Summary;
  /** Largest first; every instance id in them is also a finding. */
  groups: RootCauseGroup[];
  findings: Finding[];
  /** Running instances hidden by `ssm-doctor:ignore=true`, by id. */
  ignored?: IgnoredInstance[];
  errors: RunError[];
}
