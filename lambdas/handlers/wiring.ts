/**
 * Lambda wiring for the workflow stages: the table, logger, metrics and the SDK clients a stage
 * needs are built once per container from the environment (fail fast on a missing variable). Each
 * handler names its own client classes, so its bundle carries only those SDKs.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildClients, type ClientClasses } from '../aws/client-factory.ts';
import { DEFAULT_BATCH_SIZE, type StageDeps } from '../workflow/deps.ts';
import type { RunMetrics } from '../workflow/metrics.ts';
import { RunStore } from '../workflow/store.ts';

const logger = new Logger({ serviceName: 'ssm-doctor' });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set: the stack must set it.`);
  return value;
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

let deps: StageDeps | undefined;

/** The stage dependencies of this container, with the given SDK client classes. */
export function stageDeps(clients: ClientClasses): StageDeps {
  if (deps) return deps;
  const region = required('AWS_REGION');
  const clock = () => new Date();
  deps = {
    clients: buildClients({ region }, clients),
    store: new RunStore(new DynamoDBClient({ region, retryMode: 'adaptive' }), required('TABLE_NAME'), clock),
    clock,
    settingsPrefix: required('SETTINGS_PREFIX'),
    ...(process.env.TOPIC_ARN ? { topicArn: process.env.TOPIC_ARN } : {}),
    ...(process.env.REPORT_BUCKET ? { reportBucket: process.env.REPORT_BUCKET } : {}),
    ...(process.env.REMEDIATION_INSTANCE_PROFILE_NAME
      ? { instanceProfileName: process.env.REMEDIATION_INSTANCE_PROFILE_NAME }
      : {}),
    batchSize: DEFAULT_BATCH_SIZE,
    log: (message, fields) => logger.info(message, fields ?? {}),
    metrics: publishMetrics,
  };
  return deps;
}

export const accountIdFromEnv = () => process.env.ACCOUNT_ID ?? 'unknown';
