/** What every workflow stage is given: its own clients and environment, the table, the clock and where to log. */
import type { AwsClients } from '../aws/clients.ts';
import type { ClientsOf, EnvOf, StageName } from './manifest.ts';
import type { RunMetrics } from './metrics.ts';
import type { RunStore } from './store.ts';

/** Only the clients the stage's manifest declares: using another one does not compile. */
export type StageClients<S extends StageName> = Pick<AwsClients, ClientsOf<S> | 'region'>;

export interface StageDeps<S extends StageName> {
  clients: StageClients<S>;
  /** Exactly the variables the manifest declares, each present (checked when the stage is built). */
  env: Readonly<Record<EnvOf<S>, string>>;
  store: RunStore;
  clock: () => Date;
  /** Candidates per batch (one fact picture per batch). */
  batchSize: number;
  /** One structured log line (a Powertools Logger in Lambda). */
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Where run metrics go (Powertools Metrics in Lambda); absent = nowhere. */
  metrics?: (metrics: RunMetrics) => void;
}

/**
 * Candidates per batch. Each batch costs the same few round trips whatever its size (its work
 * object put and read, its findings put and read by Plan-and-apply and by Report, its re-read of
 * its instances, a Lambda invocation, a few state transitions), so fewer, larger batches are
 * cheaper: at 200, a 10,000-candidate region runs 50 batches, not 100. 200 still finishes well
 * inside a batch's 10 minutes and 512 MB (the benchmark), and one failing batch takes no more
 * than 200 instances out of a run's report.
 */
export const DEFAULT_BATCH_SIZE = 200;
/** Longer than the workflow's 3-hour execution timeout: a crashed run's lock frees itself. */
export const LOCK_SECONDS = 4 * 3600;
