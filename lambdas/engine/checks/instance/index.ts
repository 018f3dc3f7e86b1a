/** The instance checks, in the order a finding lists them: the machine, IMDS, then the agent. */
import type { Check } from '../../check.ts';
import { agentAmiCheck } from './agent-ami.ts';
import { agentConsoleCheck } from './agent-console.ts';
import { agentRegistrationCheck } from './agent-registration.ts';
import { instanceMetadataCheck } from './metadata.ts';
import { instanceStatusCheck } from './status.ts';

export const instanceChecks: Check[] = [
  instanceStatusCheck,
  instanceMetadataCheck,
  agentAmiCheck,
  agentRegistrationCheck,
  agentConsoleCheck,
];

export { type AgentShipping, agentShipping } from './ami-families.ts';
export { CONSOLE_SIGNATURES } from './console-signatures.ts';
