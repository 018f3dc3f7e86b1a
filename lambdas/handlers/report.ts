/** Workflow task `Report and notify`: a thin entry point; the work is `report` in stages.ts. */
import type { ReportInput, ReportOutput } from './contract.ts';
import { report } from './stages.ts';

export const handler = async (event: ReportInput): Promise<ReportOutput> => report(event);
