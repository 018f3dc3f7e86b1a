/**
 * Every diagnostic check, in the order a finding lists them: the instance itself, then the
 * network path, then credentials, then the agent.
 */
import type { Check } from '../check.ts';
import { credentialChecks } from './credentials/index.ts';
import { instanceChecks } from './instance/index.ts';
import { networkChecks } from './network/index.ts';

const [status, metadata, ...agent] = instanceChecks;

export const ALL_CHECKS: readonly Check[] = [
  ...(status ? [status] : []),
  ...networkChecks,
  ...(metadata ? [metadata] : []),
  ...credentialChecks,
  ...agent,
];
