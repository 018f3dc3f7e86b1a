/** Every stage's real Lambda handler export, by stage: what the local harness and the wiring tests call. */
import { handler as diagnoseBatch } from '../../../lambdas/handlers/diagnose-batch.ts';
import { handler as notifyFailure } from '../../../lambdas/handlers/notify-failure.ts';
import { handler as remediate } from '../../../lambdas/handlers/remediate.ts';
import { handler as report } from '../../../lambdas/handlers/report.ts';
import { handler as startRun } from '../../../lambdas/handlers/start-run.ts';
import { handler as verify } from '../../../lambdas/handlers/verify.ts';
import type { StageHandler } from '../../../lambdas/handlers/wiring.ts';
import type { StageName } from '../../../lambdas/workflow/manifest.ts';

export const STAGE_HANDLERS: Record<StageName, StageHandler<never, unknown>> = {
  'start-run': startRun,
  'diagnose-batch': diagnoseBatch,
  remediate,
  verify,
  report,
  'notify-failure': notifyFailure,
};
