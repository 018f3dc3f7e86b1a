/** Workflow task `Diagnose batch`: facts and checks for one batch (lambdas/workflow/stages/diagnose-batch.ts). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client, Route53ResolverClient } from '../aws/route53-clients.ts';
import { diagnoseBatch } from '../workflow/stages/diagnose-batch.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'diagnose-batch',
  {
    ec2: EC2Client,
    iam: IAMClient,
    cloudwatch: CloudWatchClient,
    route53: Route53Client,
    route53resolver: Route53ResolverClient,
  },
  diagnoseBatch,
);
