/** Which account and partition the credentials act in (one STS call per run). */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from './clients.ts';

export interface Identity {
  accountId: string;
  partition: string;
}

export async function readIdentity(clients: AwsClients): Promise<Identity> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { accountId: identity.Account ?? '', partition: identity.Arn?.split(':')[1] ?? 'aws' };
}
