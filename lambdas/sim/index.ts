/** The simulated AWS account: world files served to the real SDK v3 clients. */

export {
  type AuthorizationRequest,
  type Caller,
  type ChangeRecord,
  type PublishedMessage,
  SIMULATED_CREDENTIALS,
  SimulatedAccount,
  type SimulatedAccountOptions,
  type TraceEntry,
} from './account.ts';
export { authorize } from './authorization.ts';
export { type AwsError, awsError, isAwsError, SimulatorError } from './errors.ts';
export {
  findManagedPolicy,
  isAwsManagedArn,
  MANAGED_POLICIES,
  MANAGED_POLICY_DOCUMENTS,
  type ManagedPolicy,
} from './managed-policies.ts';
export {
  decodePolicyDocument,
  encodePolicyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from './policy-document.ts';
export { type Decision, evaluate, type PolicySource } from './policy-evaluation.ts';
export { loadWorld, parseWorld, WORLD_FORMAT, type World, WorldError, type WorldInput } from './world.ts';
