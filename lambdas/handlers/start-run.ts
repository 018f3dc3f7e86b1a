/** Workflow task `Start run`: lock, settings, discovery, batches (lambdas/workflow/stages/start-run.ts). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { startRun } from '../workflow/stages/start-run.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'start-run',
  { ec2: EC2Client, ssm: SSMClient, iam: IAMClient },
  startRun,
);
