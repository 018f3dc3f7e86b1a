/** Workflow task `Verify`: one read of SSM for the fixed instances (lambdas/workflow/stages/verify.ts). */
import { SSMClient } from '@aws-sdk/client-ssm';
import type { VerifyInput, VerifyOutput } from '../workflow/contract.ts';
import { verifyRun } from '../workflow/stages/verify.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: VerifyInput): Promise<VerifyOutput> =>
  verifyRun(stageDeps({ ssm: SSMClient }), event);
