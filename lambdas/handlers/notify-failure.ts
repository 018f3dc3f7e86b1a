/** Workflow task `Notify failure`: a thin entry point; the work is `notifyFailure` in stages.ts. */
import type { NotifyFailureInput, NotifyFailureOutput } from './contract.ts';
import { notifyFailure } from './stages.ts';

export const handler = async (event: NotifyFailureInput): Promise<NotifyFailureOutput> =>
  notifyFailure(event);
