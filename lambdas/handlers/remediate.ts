/** Workflow task `Plan and apply fixes` (lambdas/workflow/stages/remediate.ts). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { remediateRun } from '../workflow/stages/remediate.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('remediate', { ec2: EC2Client, iam: IAMClient }, remediateRun);
