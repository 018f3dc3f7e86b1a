/** Workflow task `Report and notify`: ledger, email, metrics, lock (lambdas/workflow/stages/report.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { reportRun } from '../workflow/stages/report.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('report', { ssm: SSMClient, sns: SNSClient }, reportRun);
