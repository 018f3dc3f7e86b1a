/** The shapes the stages hand on between tasks: in the table (META, markers) and as work objects (batches, findings). */
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { SharedFacts } from '../aws/collect.ts';
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

/** A candidate by reference: the batch re-reads the instance itself, so a vanished one drops out. */
export interface CandidateRef {
  instanceId: string;
  ssmStatus: SsmStatus;
  information?: Pick<
    InstanceInformation,
    'InstanceId' | 'PingStatus' | 'AgentVersion' | 'LastPingDateTime' | 'PlatformType' | 'PlatformName'
  >;
}

/** One batch as `Start run` hands it on (`batch-<n>`): its candidates and the facts they share. */
export interface BatchObject {
  candidates: CandidateRef[];
  facts: SharedFacts;
}

export interface FindingItem {
  finding: Finding;
  subject: PlanSubject;
}

/** A batch's findings (`findings-<n>`). */
export interface FindingsObject {
  items: FindingItem[];
}

/** What `Diagnose batch` records in the table once its findings object is written (`DONE#<n>`). */
export interface BatchDone {
  batchIndex: number;
  findings: number;
  /** Candidates of the batch that were no longer running when it ran. */
  dropped: number;
}

/** What a failed attempt of `Diagnose batch` leaves in the table (`FAILED#<n>`): the error, for the report. */
export interface BatchFailed {
  batchIndex: number;
  error: string;
  at: string;
}
