/** Workflow task `Notify failure`: the failure email and the lock (lambdas/workflow/stages/notify-failure.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { notifyFailure } from '../workflow/stages/notify-failure.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('notify-failure', { sns: SNSClient }, notifyFailure);
