/**
 * Lambda wiring for the workflow stages: clients, table, logger and metrics are built once per
 * container from the environment (fail fast on a missing variable), then every handler is one
 * call into lambdas/workflow/stages.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createClients } from '../aws/clients.ts';
import { DEFAULT_BATCH_SIZE, type StageDeps } from '../workflow/deps.ts';
import type { RunMetrics } from '../workflow/metrics.ts';
import { diagnoseBatch as diagnoseBatchStage } from '../workflow/stages/diagnose-batch.ts';
import { notifyFailure as notifyFailureStage } from '../workflow/stages/notify-failure.ts';
import { remediateRun } from '../workflow/stages/remediate.ts';
import { reportRun } from '../workflow/stages/report.ts';
import { startRun as startRunStage } from '../workflow/stages/start-run.ts';
import { verifyRun } from '../workflow/stages/verify.ts';
import { RunStore } from '../workflow/store.ts';
import type {
  DiagnoseBatchInput,
  DiagnoseBatchOutput,
  NotifyFailureInput,
  NotifyFailureOutput,
  RemediateInput,
  RemediateOutput,
  ReportInput,
  ReportOutput,
  StartRunInput,
  StartRunOutput,
  VerifyInput,
  VerifyOutput,
} from './contract.ts';

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
function stageDeps(): StageDeps {
  if (deps) return deps;
  const region = required('AWS_REGION');
  const clock = () => new Date();
  deps = {
    clients: createClients({ region }),
    store: new RunStore(new DynamoDBClient({ region, retryMode: 'adaptive' }), required('TABLE_NAME'), clock),
    clock,
    settingsPrefix: required('SETTINGS_PREFIX'),
    ...(process.env.TOPIC_ARN ? { topicArn: process.env.TOPIC_ARN } : {}),
    ...(process.env.REMEDIATION_INSTANCE_PROFILE_NAME
      ? { instanceProfileName: process.env.REMEDIATION_INSTANCE_PROFILE_NAME }
      : {}),
    batchSize: DEFAULT_BATCH_SIZE,
    log: (message, fields) => logger.info(message, fields ?? {}),
    metrics: publishMetrics,
  };
  return deps;
}

export const startRun = (event: StartRunInput): Promise<StartRunOutput> => startRunStage(stageDeps(), event);
export const diagnoseBatch = (event: DiagnoseBatchInput): Promise<DiagnoseBatchOutput> =>
  diagnoseBatchStage(stageDeps(), event);
export const remediate = (event: RemediateInput): Promise<RemediateOutput> =>
  remediateRun(stageDeps(), event);
export const verify = (event: VerifyInput): Promise<VerifyOutput> => verifyRun(stageDeps(), event);
export const report = (event: ReportInput): Promise<ReportOutput> => reportRun(stageDeps(), event);
export const notifyFailure = (event: NotifyFailureInput): Promise<NotifyFailureOutput> =>
  notifyFailureStage(stageDeps(), event, process.env.ACCOUNT_ID ?? 'unknown');
