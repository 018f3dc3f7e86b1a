/** Workflow task `Plan and apply fixes` (lambdas/workflow/stages/remediate.ts). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { remediateRun } from '../workflow/stages/remediate.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'remediate',
  {
    ec2: EC2Client,
    iam: IAMClient,
    cloudwatch: CloudWatchClient,
    ssm: SSMClient,
    s3: S3Client,
    sfn: SFNClient,
  },
  remediateRun,
);
