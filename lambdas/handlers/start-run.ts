/** Workflow task `Start run`: lock, settings, discovery, batches (lambdas/workflow/stages/start-run.ts). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { StartRunInput, StartRunOutput } from '../workflow/contract.ts';
import { startRun } from '../workflow/stages/start-run.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: StartRunInput): Promise<StartRunOutput> =>
  startRun(stageDeps({ ec2: EC2Client, ssm: SSMClient, iam: IAMClient, sts: STSClient }), event);
