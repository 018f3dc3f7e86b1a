/**
 * `iam:SimulatePrincipalPolicy` for roles: the role's identity policies (attached AWS-managed and
 * customer-managed policies, inline policies, plus any PolicyInputList documents) evaluated by
 * `policy-evaluation.ts`, with the role's permissions boundary when it has one and the world's
 * SCPs when it has an organization. Conditions are evaluated against the request's
 * `ContextEntries` (none given: an empty context, so a conditional allow is an implicit deny, as
 * IAM answers) and the keys they lacked are `MissingContextValues`. The layers are reported as IAM
 * reports them (`PermissionsBoundaryDecisionDetail`, `OrganizationsDecisionDetail`). One result
 * per action and resource (the resource defaults to `*`); results page with MaxItems/Marker.
 */
import type { ContextEntry, SimulatePrincipalPolicyRequest } from '@aws-sdk/client-iam';
import type { SimContext } from './context.ts';
import { awsError } from './errors.ts';
import { resolvePolicy, roleArn, unknownManagedPolicy } from './iam-model.ts';
import { isAwsManagedArn } from './managed-policies.ts';
import { iamPage } from './pagination.ts';
import type { RequestContext } from './policy-conditions.ts';
import { decodePolicyDocument } from './policy-document.ts';
import { type Decision, evaluate, type PolicySource } from './policy-evaluation.ts';
import type { WorldRole } from './world-types.ts';

function managedSource(ctx: SimContext, arn: string): PolicySource | undefined {
  const policy = resolvePolicy(ctx.world, arn);
  if (!policy) {
    if (isAwsManagedArn(arn)) throw unknownManagedPolicy(arn);
    return undefined;
  }
  return { id: policy.PolicyName, type: policy.source, document: policy.document };
}

function identitySources(ctx: SimContext, role: WorldRole, inputs: readonly string[]): PolicySource[] {
  const sources: PolicySource[] = [];
  for (const attached of role.AttachedPolicies ?? []) {
    const source = managedSource(ctx, attached.PolicyArn);
    if (source) sources.push(source);
  }
  for (const inline of role.RolePolicies ?? []) {
    sources.push({
      id: inline.PolicyName,
      type: 'role',
      document: decodePolicyDocument(inline.PolicyDocument),
    });
  }
  inputs.forEach((text, index) => {
    try {
      sources.push({
        id: `PolicyInputList.${index + 1}`,
        type: 'none',
        document: decodePolicyDocument(text),
      });
    } catch (error) {
      throw awsError(
        'iam',
        'MalformedPolicyDocument',
        `PolicyInputList.${index + 1}: ${(error as Error).message}`,
      );
    }
  });
  return sources;
}

/** `ContextEntries` as the condition evaluator reads them: key → value or list of values. */
export function contextOf(entries: readonly ContextEntry[] | undefined): RequestContext {
  const context: Record<string, string | string[]> = {};
  for (const entry of entries ?? []) {
    if (!entry.ContextKeyName) continue;
    const values = entry.ContextKeyValues ?? [];
    context[entry.ContextKeyName] = entry.ContextKeyType?.endsWith('List') ? values : (values[0] ?? '');
  }
  return context;
}

function scpSources(ctx: SimContext): PolicySource[] | undefined {
  const scps = ctx.world.organizations?.ServiceControlPolicies;
  if (!scps) return undefined;
  return scps.map((scp) => ({
    id: scp.PolicyId,
    type: 'none' as const,
    document: decodePolicyDocument(scp.Content),
  }));
}

interface Layered {
  decision: Decision;
  missing: Set<string>;
  boundaryAllows?: boolean;
  organizationsAllow?: boolean;
}

/**
 * IAM's order: an explicit deny anywhere wins; then the organization must allow (some SCP allows,
 * none denies), the identity policies must allow and the boundary must allow.
 */
function decide(
  sources: readonly PolicySource[],
  boundary: PolicySource | undefined,
  scps: readonly PolicySource[] | undefined,
  action: string,
  resource: string,
  context: RequestContext,
) {
  const identity = evaluate(sources, action, resource, boundary, context);
  const missing = new Set(identity.missing ?? []);
  const layered: Layered = { decision: identity.decision, missing };
  if (boundary) {
    const own = evaluate([boundary], action, resource, undefined, context);
    for (const key of own.missing ?? []) missing.add(key);
    layered.boundaryAllows = own.decision === 'allowed';
  }
  if (scps) {
    const org = evaluate(scps, action, resource, undefined, context);
    for (const key of org.missing ?? []) missing.add(key);
    layered.organizationsAllow = org.decision === 'allowed';
    if (org.decision === 'explicitDeny') layered.decision = 'explicitDeny';
    else if (org.decision !== 'allowed' && layered.decision === 'allowed') layered.decision = 'implicitDeny';
  }
  return { layered, matched: layered.decision === identity.decision ? identity.matched : [] };
}

export function simulatePrincipalPolicy(input: SimulatePrincipalPolicyRequest, ctx: SimContext) {
  const sourceArn = input.PolicySourceArn ?? '';
  if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user|group)\/.+/.test(sourceArn)) {
    throw awsError('iam', 'InvalidInput', `Invalid ARN: ${sourceArn}`);
  }
  const role = ctx.world.iam.Roles.find((r) => roleArn(ctx, r) === sourceArn);
  if (!role) throw awsError('iam', 'NoSuchEntity', `The entity ${sourceArn} does not exist.`);
  const actions = input.ActionNames ?? [];
  if (!actions.length) throw awsError('iam', 'InvalidInput', 'ActionNames must contain at least one action.');
  const malformed = actions.find((a) => !/^[\w-]+:[\w*?-]+$/.test(a));
  if (malformed) throw awsError('iam', 'InvalidInput', `Actions or resources are not valid: ${malformed}`);

  const sources = identitySources(ctx, role, input.PolicyInputList ?? []);
  const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
  const boundary = boundaryArn ? managedSource(ctx, boundaryArn) : undefined;
  const scps = scpSources(ctx);
  const context = contextOf(input.ContextEntries);
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  const results = actions.flatMap((action) =>
    resources.map((resource) => {
      const { layered, matched } = decide(sources, boundary, scps, action, resource, context);
      return {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: layered.decision,
        MatchedStatements: matched,
        MissingContextValues: [...layered.missing],
        ...(layered.boundaryAllows !== undefined
          ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: layered.boundaryAllows } }
          : {}),
        ...(layered.organizationsAllow !== undefined
          ? { OrganizationsDecisionDetail: { AllowedByOrganizations: layered.organizationsAllow } }
          : {}),
      };
    }),
  );
  const { items, ...more } = iamPage('SimulatePrincipalPolicy', results, input);
  return { EvaluationResults: items, ...more };
}
