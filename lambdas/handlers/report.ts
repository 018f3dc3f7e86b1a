/** Workflow task `Report and notify`: ledger, email, metrics, lock (lambdas/workflow/stages/report.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { reportRun } from '../workflow/stages/report.ts';
import type { ReportInput, ReportOutput } from './contract.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: ReportInput): Promise<ReportOutput> =>
  reportRun(stageDeps({ sns: SNSClient, ssm: SSMClient }), event);
