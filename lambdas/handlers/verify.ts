/** Workflow task `Verify`: one read of SSM for the fixed instances (lambdas/workflow/stages/verify.ts). */
import { SSMClient } from '@aws-sdk/client-ssm';
import { verifyRun } from '../workflow/stages/verify.ts';
import { stageHandler } from './wiring.ts';

export const handler = stageHandler('verify', { ssm: SSMClient }, verifyRun);
