/**
 * Does an interface endpoint's policy let the agent's calls through? With private DNS on, the
 * service name resolves to the endpoint, so a policy that does not allow the agent's actions for
 * the instance's role blocks them whatever other path exists (`VPC_ENDPOINT_POLICY_DENIES`).
 * An endpoint policy is a resource policy: an explicit Deny wins, else some Allow must name the
 * principal (`*`, the role, or the account), the action and the resource. Conditions are not
 * evaluated here (they need the request's context): a deciding statement with one is `conditional`.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { PolicyDocument, PolicyStatement } from '../../facts.ts';
import { actionMatches, asList, statementCovers } from '../credentials/policy.ts';
import type { SsmService } from './services.ts';

/** What the agent calls on each service (registration and the session/command channels). */
export const AGENT_ACTIONS: Record<SsmService, readonly string[]> = {
  ssm: ['ssm:UpdateInstanceInformation'],
  ec2messages: ['ec2messages:GetMessages'],
  ssmmessages: ['ssmmessages:CreateControlChannel', 'ssmmessages:OpenControlChannel'],
};

export interface EndpointPolicyVerdict {
  decision: 'allows' | 'denies' | 'conditional' | 'unreadable';
  /** The actions not allowed (denies) or allowed only under conditions (conditional). */
  actions: string[];
}

export interface Caller {
  /** The role the agent's credentials come from, when known. */
  roleArn?: string;
  accountId: string;
  /** The instance ARN (the resource of ssm:UpdateInstanceInformation). */
  instanceArn: string;
}

function namesCaller(statement: PolicyStatement, caller: Caller): boolean {
  const principal = statement.Principal;
  if (principal === undefined) return false;
  if (principal === '*') return true;
  const names = asList(principal.AWS);
  const account = [caller.accountId, `arn:aws:iam::${caller.accountId}:root`];
  return names.some((name) => name === '*' || account.includes(name) || name === caller.roleArn);
}

function coversResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined)
    return asList(statement.Resource).some((p) => p === '*' || actionMatches(p, resource));
  if (statement.NotResource !== undefined)
    return !asList(statement.NotResource).some((p) => actionMatches(p, resource));
  return false;
}

function parse(document: string): PolicyDocument | undefined {
  try {
    const text = document.trim().startsWith('{') ? document : decodeURIComponent(document);
    return JSON.parse(text) as PolicyDocument;
  } catch {
    return undefined;
  }
}

export function judgeEndpointPolicy(
  endpoint: VpcEndpoint,
  service: SsmService,
  caller: Caller,
): EndpointPolicyVerdict {
  // No policy is the default full-access policy.
  if (!endpoint.PolicyDocument) return { decision: 'allows', actions: [] };
  const document = parse(endpoint.PolicyDocument);
  if (!document) return { decision: 'unreadable', actions: [...AGENT_ACTIONS[service]] };
  const statements = asList(document.Statement);
  const denied: string[] = [];
  const conditional: string[] = [];
  for (const action of AGENT_ACTIONS[service]) {
    const resource = action === 'ssm:UpdateInstanceInformation' ? caller.instanceArn : '*';
    const applying = statements.filter(
      (s) => namesCaller(s, caller) && statementCovers(s, action) && coversResource(s, resource),
    );
    const denies = applying.filter((s) => s.Effect === 'Deny');
    const allows = applying.filter((s) => s.Effect === 'Allow');
    if (denies.some((s) => !s.Condition)) denied.push(action);
    else if (denies.length > 0) conditional.push(action);
    else if (allows.some((s) => !s.Condition)) continue;
    else if (allows.length > 0) conditional.push(action);
    else denied.push(action);
  }
  if (denied.length > 0) return { decision: 'denies', actions: denied };
  if (conditional.length > 0) return { decision: 'conditional', actions: conditional };
  return { decision: 'allows', actions: [] };
}
