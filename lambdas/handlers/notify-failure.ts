/** Workflow task `Notify failure`: the failure email, its event and the lock (lambdas/workflow/stages/notify-failure.ts). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { notifyFailure } from '../workflow/stages/notify-failure.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler(
  'notify-failure',
  { sns: SNSClient, events: EventBridgeClient },
  notifyFailure,
);
