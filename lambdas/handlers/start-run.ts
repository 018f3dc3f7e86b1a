/** Workflow task `Start run`: lock, settings, discovery, shared facts, batches (lambdas/workflow/stages/start-run.ts). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Route53ResolverClient } from '../aws/resolver-client.ts';
import { startRun } from '../workflow/stages/start-run.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'start-run',
  {
    ec2: EC2Client,
    ssm: SSMClient,
    iam: IAMClient,
    cloudwatch: CloudWatchClient,
    s3: S3Client,
    route53: Route53Client,
    route53resolver: Route53ResolverClient,
  },
  startRun,
);
