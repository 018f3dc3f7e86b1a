/** Small worlds and real SDK clients served by a SimulatedAccount, for the simulator's tests. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { SimulatedAccount, type SimulatedAccountOptions } from '../../lambdas/sim/account.ts';
import { parseWorld, type World } from '../../lambdas/sim/world.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/** A valid world from the sections given (format, account and region filled in). */
export function world(sections: Record<string, unknown> = {}): World {
  return parseWorld(
    { format: 'ssm-doctor/world@1', accountId: ACCOUNT, region: REGION, ...sections },
    'test-world',
  );
}

export const instance = (id: string, extra: Record<string, unknown> = {}) => ({
  InstanceId: id,
  State: { Name: 'running' },
  LaunchTime: '2026-11-01T10:00:00Z',
  ...extra,
});

export const trustEc2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export interface Simulated {
  account: SimulatedAccount;
  ec2: EC2Client;
  ssm: SSMClient;
  iam: IAMClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  sts: STSClient;
}

/** One account and the six clients, attached; `maxAttempts` 3 with standard retries unless overridden. */
export function simulate(
  w: World,
  options: SimulatedAccountOptions = {},
  clientOptions: { maxAttempts?: number; retryMode?: 'standard' | 'adaptive' } = {},
): Simulated {
  const account = new SimulatedAccount(w, options);
  const config = { ...account.clientConfig(), maxAttempts: 3, ...clientOptions };
  return {
    account,
    ec2: account.attach(new EC2Client(config)),
    ssm: account.attach(new SSMClient(config)),
    iam: account.attach(new IAMClient(config)),
    cloudwatch: account.attach(new CloudWatchClient(config)),
    sns: account.attach(new SNSClient(config)),
    sts: account.attach(new STSClient(config)),
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
