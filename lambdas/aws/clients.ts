/**
 * The SDK clients every adapter uses, created once and only when first used. Adaptive retry keeps
 * Describe calls inside the account's token buckets (EC2: 100 burst, 20/s refill) when a Map fans
 * out; with a simulated account the same clients get the simulator's middleware instead of a
 * network. Which client classes exist is the caller's choice (`buildClients`), so each Lambda
 * bundles only the SDKs its stage calls; the CLI and local runs take them all (`createClients`).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { type AwsClients, buildClients, type ClientOptions } from './client-factory.ts';
import { Route53ResolverClient } from './resolver-client.ts';

export type { AwsClients, ClientOptions } from './client-factory.ts';

export const ALL_CLIENTS = {
  ec2: EC2Client,
  ssm: SSMClient,
  iam: IAMClient,
  cloudwatch: CloudWatchClient,
  sns: SNSClient,
  sts: STSClient,
  s3: S3Client,
  events: EventBridgeClient,
  sfn: SFNClient,
  route53: Route53Client,
  route53resolver: Route53ResolverClient,
};

export function createClients(options: ClientOptions): AwsClients {
  return buildClients(options, ALL_CLIENTS);
}
