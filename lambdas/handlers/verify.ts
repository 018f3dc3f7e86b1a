/** Workflow task `Verify`: one read of SSM for the fixed instances (lambdas/workflow/stages/verify.ts). */
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { verifyRun } from '../workflow/stages/verify.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('verify', { ssm: SSMClient, s3: S3Client }, verifyRun);
