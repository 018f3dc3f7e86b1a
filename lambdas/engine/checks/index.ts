/**
 * Every diagnostic check, in the order a finding lists them: the instance's health, the network
 * path, instance metadata, credentials, then the agent itself.
 */
import type { Check } from '../check.ts';
import { credentialChecks } from './credentials/index.ts';
import { instanceChecks } from './instance/index.ts';
import { networkChecks } from './network/index.ts';

const instance = (id: string) => instanceChecks.filter((check) => check.id === id);

export const ALL_CHECKS: readonly Check[] = [
  ...instance('instance.status'),
  ...networkChecks,
  ...instance('instance.metadata'),
  ...credentialChecks,
  ...instanceChecks.filter((check) => check.id.startsWith('agent.')),
];
