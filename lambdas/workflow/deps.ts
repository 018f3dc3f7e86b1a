/** What every workflow stage is given: clients, the table, the clock and where to log. */
import type { AwsClients } from '../aws/clients.ts';
import type { RunMetrics } from './metrics.ts';
import type { RunStore } from './store.ts';

export interface StageDeps {
  clients: AwsClients;
  store: RunStore;
  clock: () => Date;
  /** SSM parameter path of the settings, e.g. `/ssm-doctor/`. */
  settingsPrefix: string;
  /** The SNS topic for emails; absent = do not notify. */
  topicArn?: string;
  /** The S3 bucket that keeps each run's full report; absent = not kept (the email says how to get it). */
  reportBucket?: string;
  /** The stack's instance profile that `attach-instance-profile` associates. */
  instanceProfileName?: string;
  /** Candidates per batch (one fact picture per batch). */
  batchSize: number;
  /** One structured log line (a Powertools Logger in Lambda). */
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Where run metrics go (Powertools Metrics in Lambda); absent = nowhere. */
  metrics?: (metrics: RunMetrics) => void;
}

/** EC2 filter values stay ≤ 100 and a batch finishes well inside a Lambda timeout. */
export const DEFAULT_BATCH_SIZE = 100;
/** Longer than the workflow's 3-hour execution timeout: a crashed run's lock frees itself. */
export const LOCK_SECONDS = 4 * 3600;
