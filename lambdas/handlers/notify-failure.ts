/** Workflow task `Notify failure`: the failure email and the lock (lambdas/workflow/stages/notify-failure.ts). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { NotifyFailureInput, NotifyFailureOutput } from '../workflow/contract.ts';
import { notifyFailure } from '../workflow/stages/notify-failure.ts';
import { accountIdFromEnv, stageDeps } from './wiring.ts';

export const handler = (event: NotifyFailureInput): Promise<NotifyFailureOutput> =>
  notifyFailure(stageDeps({ sns: SNSClient, events: EventBridgeClient }), event, accountIdFromEnv());
