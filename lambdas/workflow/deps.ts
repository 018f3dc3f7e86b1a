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

/** EC2 filter values stay ≤ 100 and a batch finishes well inside a Lambda timeout. */
export const DEFAULT_BATCH_SIZE = 100;
/** Longer than the workflow's 3-hour execution timeout: a crashed run's lock frees itself. */
export const LOCK_SECONDS = 4 * 3600;
