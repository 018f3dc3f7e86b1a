/** Workflow task `Plan and apply fixes` (lambdas/workflow/stages/remediate.ts). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import type { RemediateInput, RemediateOutput } from '../workflow/contract.ts';
import { remediateRun } from '../workflow/stages/remediate.ts';
import { stageDeps } from './wiring.ts';

export const handler = (event: RemediateInput): Promise<RemediateOutput> =>
  remediateRun(stageDeps({ ec2: EC2Client, iam: IAMClient }), event);
