/** Workflow task `Plan and apply fixes`: a thin entry point; the work is `remediate` in stages.ts. */
import type { RemediateInput, RemediateOutput } from './contract.ts';
import { remediate } from './stages.ts';

export const handler = async (event: RemediateInput): Promise<RemediateOutput> => remediate(event);
