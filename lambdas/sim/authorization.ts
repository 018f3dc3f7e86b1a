/**
 * The simulated account decides, for each call, whether its caller may make it — as AWS does before
 * it serves a request. A caller is a principal with identity policies (a workflow stage under the
 * role the synthesized template gives its function, or a CLI user with `simulation.callerPolicy`);
 * a client attached without one may do anything.
 *
 * For each action this file knows what AWS authorizes against: the resource ARN(s) and the
 * condition keys the request carries (`request-context.ts`); the statements are evaluated with the
 * same evaluator as `SimulatePrincipalPolicy`. A denied call fails with the error code and message
 * shape of that service: EC2 `UnauthorizedOperation`, IAM/CloudWatch/STS `AccessDenied`,
 * SSM/DynamoDB `AccessDeniedException`, SNS `AuthorizationError`.
 */

import type { RequestContext } from './policy-conditions.ts';
import type { PolicyDocument } from './policy-document.ts';
import { evaluate, type PolicySource } from './policy-evaluation.ts';

export interface Caller {
  /** Who is calling, for the trace: the workflow state's name, or `cli`. */
  label: string;
  /** The principal as AWS names it in a denial (an assumed-role ARN). */
  principalArn: string;
  /** Its identity policies; undefined = not restricted. */
  policies?: readonly PolicyDocument[];
}

/** One resource a request is authorized against, with the condition keys of that check. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

export interface AuthorizationResult {
  allowed: boolean;
  /** The first request that was denied, and how. */
  denied?: { request: AuthorizationRequest; explicit: boolean };
}

export function authorize(caller: Caller, requests: readonly AuthorizationRequest[]): AuthorizationResult {
  if (!caller.policies) return { allowed: true };
  const sources: PolicySource[] = caller.policies.map((document, i) => ({
    id: `${caller.label}#${i + 1}`,
    type: 'role',
    document,
  }));
  for (const request of requests) {
    const { decision } = evaluate(sources, request.action, request.resource, undefined, request.context);
    if (decision !== 'allowed')
      return { allowed: false, denied: { request, explicit: decision === 'explicitDeny' } };
  }
  return { allowed: true };
}

/** The sentence AWS puts in a denial, with the deciding layer. */
export function denialMessage(caller: Caller, denied: NonNullable<AuthorizationResult['denied']>): string {
  const { action, resource } = denied.request;
  const why = denied.explicit
    ? `with an explicit deny in an identity-based policy`
    : `because no identity-based policy allows the ${action} action`;
  const on = resource === '*' ? '' : ` on resource: ${resource}`;
  return `User: ${caller.principalArn} is not authorized to perform: ${action}${on} ${why}`;
}

/** The error code each service answers a denied call with. */
export function denialCode(service: string): string {
  switch (service) {
    case 'ec2':
      return 'UnauthorizedOperation';
    case 'ssm':
    case 'dynamodb':
    case 'states':
    case 'route53resolver':
      return 'AccessDeniedException';
    case 'sns':
      return 'AuthorizationError';
    default:
      return 'AccessDenied';
  }
}

/** EC2 prefixes its denials and appends an encoded message. */
export function serviceMessage(service: string, message: string): string {
  return service === 'ec2'
    ? `You are not authorized to perform this operation. ${message}. Encoded authorization failure message: (simulated)`
    : message;
}
