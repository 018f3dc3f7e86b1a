/** Workflow task `Report and notify`: ledger, email, metrics, lock (lambdas/workflow/stages/report.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { ReportInput, ReportOutput } from '../workflow/contract.ts';
import { reportRun } from '../workflow/stages/report.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: ReportInput): Promise<ReportOutput> =>
  reportRun(stageDeps({ sns: SNSClient, ssm: SSMClient }), event);
