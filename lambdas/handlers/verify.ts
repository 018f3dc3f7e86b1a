/** Workflow task `Verify`: a thin entry point; the work is `verify` in stages.ts. */
import type { VerifyInput, VerifyOutput } from './contract.ts';
import { verify } from './stages.ts';

export const handler = async (event: VerifyInput): Promise<VerifyOutput> => verify(event);
