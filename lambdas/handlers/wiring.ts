/**
 * Lambda wiring for the workflow stages, from the stage manifest (`workflow/manifest.ts`): the
 * table, logger, metrics, the stage's environment and exactly the SDK clients it declares, built
 * once per container. Each handler names its own client classes (so its bundle carries only
 * those SDKs), and the compiler holds that list to the manifest's: a missing or extra class is a
 * type error.
 *
 * `handler.withRuntime(runtime)` builds the same stage from another environment and another
 * transport — how the local harness runs each state under its synthesized role (test/support/local).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsClients, buildClients, type ClientOptions } from '../aws/client-factory.ts';
import { outageOf } from '../aws/errors.ts';
import { DEFAULT_BATCH_SIZE, type StageDeps } from '../workflow/deps.ts';
import { type ClientsOf, type EnvOf, STAGES, type StageName } from '../workflow/manifest.ts';
import type { RunMetrics } from '../workflow/metrics.ts';
import { RunStore } from '../workflow/store.ts';

const logger = new Logger({ serviceName: 'ssm-doctor' });

/** The client classes of a stage: exactly those its manifest names. */
export type StageClientClasses<S extends StageName> = {
  [K in ClientsOf<S>]: new (
    config: never,
  ) => AwsClients[K];
};

/** Where a stage runs: the environment it reads, and how its clients reach AWS. */
export interface StageRuntime {
  env: Readonly<Record<string, string | undefined>>;
  /** Client options beyond region (the simulated account and the caller it serves, retries). */
  clients?: Omit<ClientOptions, 'region'>;
  /** The table's client (default: a DynamoDB client for the region, adaptive retry). */
  dynamo?: DynamoDBClient;
  clock?: () => Date;
  log?: StageDeps<StageName>['log'];
  metrics?: StageDeps<StageName>['metrics'];
  batchSize?: number;
}

function publishMetrics(values: RunMetrics): void {
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SsmDoctor',
    serviceName: 'ssm-doctor',
  });
  const { findingsByCause, ...totals } = values;
  for (const [name, value] of Object.entries(totals)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
  for (const [cause, value] of Object.entries(findingsByCause)) {
    const single = metrics.singleMetric();
    single.addDimension('Cause', cause);
    single.addMetric('Findings', MetricUnit.Count, value ?? 0);
  }
}

/** The manifest's variables, each required: a stack that forgets one fails the first call, loudly. */
export function stageEnvironment<S extends StageName>(
  stage: S,
  env: StageRuntime['env'],
): Readonly<Record<EnvOf<S>, string>> {
  const names = STAGES[stage].env as readonly EnvOf<S>[];
  const missing = names.filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `Environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set for stage ${stage}: the stack must set ${missing.length > 1 ? 'them' : 'it'} (workflow/manifest.ts).`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<EnvOf<S>, string>;
}

export function stageDeps<S extends StageName>(
  stage: S,
  classes: StageClientClasses<S>,
  runtime: StageRuntime,
): StageDeps<S> {
  const env = stageEnvironment(stage, runtime.env);
  const region = runtime.env.AWS_REGION;
  if (!region) throw new Error(`Environment variable AWS_REGION is not set for stage ${stage}.`);
  const clock = runtime.clock ?? (() => new Date());
  const tableName = (env as Record<string, string>).TABLE_NAME as string;
  return {
    clients: buildClients({ region, ...runtime.clients }, classes as never),
    env,
    store: new RunStore(
      runtime.dynamo ?? new DynamoDBClient({ region, retryMode: 'adaptive' }),
      tableName,
      clock,
    ),
    clock,
    batchSize: runtime.batchSize ?? DEFAULT_BATCH_SIZE,
    log: runtime.log ?? ((message, fields) => logger.info(message, fields ?? {})),
    metrics: runtime.metrics ?? publishMetrics,
  };
}

export type StageHandler<I, O> = ((event: I) => Promise<O>) & {
  /** The same stage in another runtime (the local harness). */
  withRuntime(runtime: StageRuntime): (event: I) => Promise<O>;
};

/** A Lambda handler for `stage`: deps built once per container from `process.env`. */
export function stageHandler<S extends StageName, I, O>(
  stage: S,
  classes: StageClientClasses<S>,
  run: (deps: StageDeps<S>, event: I) => Promise<O>,
): StageHandler<I, O> {
  let deps: StageDeps<S> | undefined;
  const handler = (event: I) => {
    deps ??= stageDeps(stage, classes, { env: process.env });
    return reportingOutages(run(deps, event));
  };
  return Object.assign(handler, {
    withRuntime: (runtime: StageRuntime) => {
      const local = stageDeps(stage, classes, runtime);
      return (event: I) => reportingOutages(run(local, event));
    },
  });
}

/** An AWS outage leaves the stage as `AwsOutage`, the error the workflow retries (lib/constructs/workflow.ts). */
async function reportingOutages<O>(work: Promise<O>): Promise<O> {
  try {
    return await work;
  } catch (error) {
    throw outageOf(error) ?? error;
  }
}
