/** Workflow task `Diagnose batch`: checks for one batch on its shared facts (lambdas/workflow/stages/diagnose-batch.ts). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { diagnoseBatch } from '../workflow/stages/diagnose-batch.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('diagnose-batch', { ec2: EC2Client, s3: S3Client }, diagnoseBatch);
