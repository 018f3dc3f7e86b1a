/** Workflow task `Report and notify`: ledger, email, metrics, lock (lambdas/workflow/stages/report.ts). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { ReportInput, ReportOutput } from '../workflow/contract.ts';
import { reportRun } from '../workflow/stages/report.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: ReportInput): Promise<ReportOutput> =>
  reportRun(stageDeps({ sns: SNSClient, ssm: SSMClient, s3: S3Client, events: EventBridgeClient }), event);
