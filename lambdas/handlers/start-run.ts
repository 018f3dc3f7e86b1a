/** Workflow task `Start run`: a thin entry point; the work is `startRun` in stages.ts. */
import type { StartRunInput, StartRunOutput } from './contract.ts';
import { startRun } from './stages.ts';

export const handler = async (event: StartRunInput): Promise<StartRunOutput> => startRun(event);
