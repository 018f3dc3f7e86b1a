/** Workflow task `Diagnose batch`: facts and checks for one batch (lambdas/workflow/stages/diagnose-batch.ts). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { DiagnoseBatchInput, DiagnoseBatchOutput } from '../workflow/contract.ts';
import { diagnoseBatch } from '../workflow/stages/diagnose-batch.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: DiagnoseBatchInput): Promise<DiagnoseBatchOutput> =>
  diagnoseBatch(
    stageDeps({ ec2: EC2Client, iam: IAMClient, ssm: SSMClient, cloudwatch: CloudWatchClient }),
    event,
  );
