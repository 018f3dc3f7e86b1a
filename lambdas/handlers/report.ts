/** Workflow task `Report and notify`: ledger, report archive, events, email, metrics, lock (lambdas/workflow/stages/report.ts). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { reportRun } from '../workflow/stages/report.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'report',
  { ssm: SSMClient, sns: SNSClient, s3: S3Client, events: EventBridgeClient },
  reportRun,
);
