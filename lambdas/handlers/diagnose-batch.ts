/** Workflow task `Diagnose batch`: a thin entry point; the work is `diagnoseBatch` in stages.ts. */
import type { DiagnoseBatchInput, DiagnoseBatchOutput } from './contract.ts';
import { diagnoseBatch } from './stages.ts';

export const handler = async (event: DiagnoseBatchInput): Promise<DiagnoseBatchOutput> =>
  diagnoseBatch(event);
