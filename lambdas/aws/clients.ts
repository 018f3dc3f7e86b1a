/**
 * The SDK clients every adapter uses, created once. Adaptive retry keeps Describe calls inside
 * the account's token buckets (EC2: 100 burst, 20/s refill) when a Map fans out; with a simulated
 * account the same clients get the simulator's middleware instead of a network.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import type { SimulatedAccount } from '../sim/account.ts';

export interface AwsClients {
  region: string;
  ec2: EC2Client;
  ssm: SSMClient;
  iam: IAMClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  sts: STSClient;
}

export interface ClientOptions {
  region: string;
  /** A named profile from ~/.aws (CLI `--profile`); otherwise the default credential chain. */
  profile?: string;
  /** Serve every call from this simulated account instead of AWS. */
  simulated?: SimulatedAccount;
  maxAttempts?: number;
}

const SIMULATED_CREDENTIALS = { accessKeyId: 'AKIASIMULATED0000000', secretAccessKey: 'simulated' };

export function createClients(options: ClientOptions): AwsClients {
  const config = {
    region: options.region,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.simulated
      ? { credentials: SIMULATED_CREDENTIALS }
      : options.profile
        ? { credentials: fromIni({ profile: options.profile }) }
        : {}),
  };
  // IAM is global: the SDK's endpoint rules route it to the partition's IAM endpoint from any region.
  const clients: AwsClients = {
    region: options.region,
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    iam: new IAMClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    sts: new STSClient(config),
  };
  if (options.simulated) {
    for (const client of [
      clients.ec2,
      clients.ssm,
      clients.iam,
      clients.cloudwatch,
      clients.sns,
      clients.sts,
    ]) {
      options.simulated.attach(client);
    }
  }
  return clients;
}
