/**
 * Builds the clients lazily from the classes it is given. Type-only imports here: a module that
 * names no client class pulls no SDK into a bundle.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { Caller, SimulatedAccount } from '../sim/account.ts';
import type { Route53ResolverClient } from './resolver-client.ts';

export interface AwsClients {
  region: string;
  ec2: EC2Client;
  ssm: SSMClient;
  iam: IAMClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  sts: STSClient;
  s3: S3Client;
  events: EventBridgeClient;
  /** Step Functions: the remediate stage asks whether its own execution is still running. */
  sfn: SFNClient;
  /** Global: the SDK's endpoint rules send it to the partition's Route 53 endpoint from any region. */
  route53: Route53Client;
  /** Our small client (resolver-client.ts says why not the SDK's). */
  route53resolver: Route53ResolverClient;
}

export type ClientName = Exclude<keyof AwsClients, 'region'>;
type ClientConfig = {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  retryStrategy?: ConfiguredRetryStrategy;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
};
export type ClientClasses = { [K in ClientName]?: new (config: ClientConfig) => AwsClients[K] };

export interface ClientOptions {
  region: string;
  /** A named profile from ~/.aws (CLI `--profile`); otherwise the default credential chain. */
  profile?: string;
  /**
   * Serve every call from this simulated account instead of AWS (or from anything that attaches
   * clients the same way: the benchmark's stage processes reach the account in another process).
   */
  simulated?: Pick<SimulatedAccount, 'clientConfig' | 'attach'>;
  /** Whom the simulated account serves: it authorizes each call against this caller's policies. */
  caller?: Caller;
  maxAttempts?: number;
  /**
   * `adaptive` (production): the SDK's client-side rate limiter and jittered back-off.
   * `immediate` (tests of the simulated account only): the same attempts with no delay between them.
   */
  retry?: 'adaptive' | 'immediate';
}

export function buildClients(options: ClientOptions, classes: ClientClasses): AwsClients {
  const maxAttempts = options.maxAttempts ?? 5;
  const config: ClientConfig = {
    region: options.region,
    retryMode: 'adaptive',
    maxAttempts,
    ...(options.retry === 'immediate'
      ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 0) }
      : {}),
    ...(options.simulated
      ? { credentials: options.simulated.clientConfig().credentials }
      : options.profile
        ? { profile: options.profile }
        : {}),
  };
  const made: Partial<AwsClients> = {};
  const client = <K extends ClientName>(name: K): AwsClients[K] => {
    const existing = made[name] as AwsClients[K] | undefined;
    if (existing) return existing;
    const Class = classes[name];
    if (!Class)
      throw new Error(`No ${name} client was wired for this function: add it where its clients are chosen.`);
    // IAM is global: the SDK's endpoint rules route it to the partition's IAM endpoint from any region.
    const created = new Class(config) as AwsClients[K];
    options.simulated?.attach(created, options.caller);
    made[name] = created;
    return created;
  };
  return {
    region: options.region,
    get ec2() {
      return client('ec2');
    },
    get ssm() {
      return client('ssm');
    },
    get iam() {
      return client('iam');
    },
    get cloudwatch() {
      return client('cloudwatch');
    },
    get sns() {
      return client('sns');
    },
    get sts() {
      return client('sts');
    },
    get s3() {
      return client('s3');
    },
    get events() {
      return client('events');
    },
    get sfn() {
      return client('sfn');
    },
    get route53() {
      return client('route53');
    },
    get route53resolver() {
      return client('route53resolver');
    },
  };
}
