/**
 * One declaration per workflow stage: everything a stage may do, in one place. The rest is derived:
 * - its IAM role (`lib/iam/stage-policy.ts`: the fact sources' actions, the fixes' statements, the
 *   settings prefix, the topic, the table — no hand-written per-stage statements);
 * - its Lambda environment (`lib/constructs/functions.ts` sets exactly `env`, and the handler reads
 *   exactly `env`, failing fast on a missing one);
 * - the SDK clients its handler builds (`lambdas/handlers/wiring.ts`: the compiler forces the
 *   handler's client classes to be exactly `clients`, so a bundle carries only those SDKs, and the
 *   stage code cannot reach a client that is not declared);
 * - what the local harness gives the stage (test/support/local: the template's role, env and the
 *   handler's own clients).
 * Type-only imports: handlers import this file, and it must pull nothing into their bundles.
 */
import type { ClientName } from '../aws/client-factory.ts';
import type { FactSource } from '../engine/fact-sources.ts';
import type { FixId } from '../engine/report-model.ts';

/** Every environment variable a stage can be given; the stack holds one value for each. */
export type EnvName =
  | 'TABLE_NAME'
  | 'SETTINGS_PREFIX'
  | 'TOPIC_ARN'
  | 'ACCOUNT_ID'
  | 'PARTITION'
  | 'REMEDIATION_INSTANCE_PROFILE_NAME'
  | 'REPORT_BUCKET'
  /** This stack's state machine (its name is fixed, so its ARN is known without a circular reference). */
  | 'STATE_MACHINE_ARN';

export interface StageManifest {
  /** The Task state of the state machine that runs this stage. */
  state: string;
  description: string;
  clients: readonly ClientName[];
  /** AWS reads, by fact source (`engine/fact-sources.ts`). */
  reads: readonly FactSource[];
  /** Fixes it may apply (their writes and re-reads, `engine/remediation/fixes.ts`). */
  fixes: readonly FixId[];
  /** Reads the run settings below `SETTINGS_PREFIX` (GetParametersByPath). */
  readsSettings: boolean;
  /** Publishes to the notification topic. */
  publishes: boolean;
  /** Keeps the run's full report in the report bucket (`runs/…`, put only). */
  archivesReports: boolean;
  /** Puts finding-change and failed-run events on the account's default event bus. */
  emitsEvents: boolean;
  /**
   * The run's work objects in the report bucket (`work/…`, workflow/work-objects.ts): what it
   * hands on (`put`) and what it takes from the stages before it (`get`).
   */
  work: readonly ('get' | 'put')[];
  /**
   * Asks Step Functions whether the run's own execution is still running before each write
   * (`states:DescribeExecution` on this stack's state machine's executions only).
   */
  checksExecution?: boolean;
  /**
   * `failure`: the run lock item, the outbox (workflow/outbox.ts) and reading the change journal
   * (workflow/journal.ts); `run`: the whole table (the run's items, ledger, journal, outbox, lock).
   */
  table: 'failure' | 'run';
  env: readonly EnvName[];
}

export const STAGES = {
  'start-run': {
    state: 'Start run',
    description: 'Takes the run lock, reads settings, discovers candidates, collects what they share',
    clients: ['ec2', 'ssm', 'iam', 'cloudwatch', 's3', 'route53', 'route53resolver'],
    // What candidates share is read once per run here (network per VPC with its private DNS, statuses, images, IAM,
    // DHMC, IMDSv1 usage) and handed to each batch as the slice it uses.
    reads: [
      'runningInstances',
      'nodeList',
      'registrations',
      'dhmc',
      'instanceStatus',
      'images',
      'network',
      'privateDns',
      'instanceProfile',
      'metadataUsage',
    ],
    fixes: [],
    readsSettings: true,
    publishes: false,
    archivesReports: false,
    emitsEvents: false,
    work: ['put'],
    table: 'run',
    env: ['TABLE_NAME', 'SETTINGS_PREFIX', 'ACCOUNT_ID', 'PARTITION', 'REPORT_BUCKET'],
  },
  'diagnose-batch': {
    state: 'Diagnose batch',
    description: 'Re-reads one batch of instances, runs the checks on the shared facts, reads console output',
    clients: ['ec2', 's3'],
    // Its own reads are per instance: the instances again (one that stopped drops out) and the
    // console output of those the checks could not explain.
    reads: ['runningInstances', 'consoleOutput'],
    fixes: [],
    readsSettings: false,
    publishes: false,
    archivesReports: false,
    emitsEvents: false,
    work: ['get', 'put'],
    table: 'run',
    env: ['TABLE_NAME', 'REPORT_BUCKET'],
  },
  remediate: {
    state: 'Plan and apply fixes',
    description: 'Plans and applies the safe fixes within the rails',
    // Acts only on what is real now: the settings are re-read from SSM (never taken from the
    // table), each write waits on its own execution being RUNNING on this stack's state machine,
    // and each fix re-reads the instance, role and IMDSv1 usage it depends on.
    clients: ['ec2', 'iam', 'cloudwatch', 'ssm', 'sfn', 's3'],
    reads: [],
    fixes: ['attach-instance-profile', 'attach-core-policy', 'enforce-imdsv2'],
    readsSettings: true,
    publishes: false,
    archivesReports: false,
    emitsEvents: false,
    work: ['get', 'put'],
    checksExecution: true,
    table: 'run',
    env: [
      'TABLE_NAME',
      'SETTINGS_PREFIX',
      'REMEDIATION_INSTANCE_PROFILE_NAME',
      'STATE_MACHINE_ARN',
      'REPORT_BUCKET',
    ],
  },
  verify: {
    state: 'Verify',
    description: 'Re-reads SSM for the instances that were fixed',
    clients: ['ssm', 's3'],
    reads: ['registrations'],
    fixes: [],
    readsSettings: false,
    publishes: false,
    archivesReports: false,
    emitsEvents: false,
    work: ['get', 'put'],
    table: 'run',
    env: ['TABLE_NAME', 'REPORT_BUCKET'],
  },
  report: {
    state: 'Report and notify',
    description: 'Updates the ledger, emails what changed, releases the lock',
    clients: ['ssm', 'sns', 's3', 'events'],
    // Tells "back online" apart from "stopped or terminated" for resolved instances.
    reads: ['registrations'],
    fixes: [],
    readsSettings: false,
    publishes: true,
    archivesReports: true,
    emitsEvents: true,
    work: ['get'],
    table: 'run',
    env: ['TABLE_NAME', 'TOPIC_ARN', 'REPORT_BUCKET'],
  },
  'notify-failure': {
    state: 'Notify failure',
    description: 'Emails a failed run and releases its lock',
    clients: ['sns', 'events'],
    reads: [],
    fixes: [],
    readsSettings: false,
    publishes: true,
    archivesReports: false,
    emitsEvents: true,
    work: [],
    table: 'failure',
    env: ['TABLE_NAME', 'TOPIC_ARN', 'ACCOUNT_ID'],
  },
} as const satisfies Record<string, StageManifest>;

export type StageName = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as StageName[];
export type ClientsOf<S extends StageName> = (typeof STAGES)[S]['clients'][number];
export type EnvOf<S extends StageName> = (typeof STAGES)[S]['env'][number];

/** The stage a Lambda runs: set by the stack, so a function in a template names its stage. */
export const STAGE_ENV = 'SSM_DOCTOR_STAGE';
