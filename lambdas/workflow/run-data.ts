/** The shapes the stages keep in the table between tasks. */
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { Identity } from '../aws/identity.ts';
import type { DhmcPicture, SsmStatus } from '../engine/facts.ts';
import type { Readout } from '../engine/readout.ts';
import type { PlanSubject } from '../engine/remediation/plan.ts';
import type { Finding, IgnoredInstance, RunError, Summary } from '../engine/report-model.ts';
import type { Settings } from '../engine/settings.ts';

export interface RunMeta {
  runId: string;
  startedAt: string;
  identity: Identity;
  region: string;
  settings: Settings;
  errors: RunError[];
  summary: Summary;
  /** Running instances hidden by `ssm-doctor:ignore=true` (absent in runs started before it was kept). */
  ignored?: IgnoredInstance[];
  batchCount: number;
  /** Read once per run, shared by every batch. */
  dhmc?: Readout<DhmcPicture>;
}

/** Who uses some of the candidates' instance profiles (`PROFILES#<nnnnn>`, a bounded number per item). */
export interface ProfilesItem {
  /** Running instances per profile: who a role change reaches (the first 50, plus opted-out ones). */
  users: Record<string, string[]>;
  /** Opted-out instances among those users: a shared-role change would reach them too. */
  optedOut: string[];
}

/** A candidate by reference: the batch re-reads the instance itself, so a vanished one drops out. */
export interface CandidateRef {
  instanceId: string;
  ssmStatus: SsmStatus;
  information?: Pick<
    InstanceInformation,
    'InstanceId' | 'PingStatus' | 'AgentVersion' | 'LastPingDateTime' | 'PlatformType' | 'PlatformName'
  >;
}

export interface BatchItem {
  candidates: CandidateRef[];
}

export interface FindingItem {
  finding: Finding;
  subject: PlanSubject;
}
