/**
 * `iam:SimulatePrincipalPolicy` for roles: the role's identity policies (attached AWS-managed and
 * customer-managed policies, inline policies, plus any PolicyInputList documents) evaluated by
 * `policy-evaluation.ts`, with the role's permissions boundary when it has one. One result per
 * action and resource (the resource defaults to `*`); results page with MaxItems/Marker.
 */
import type { SimulatePrincipalPolicyRequest } from '@aws-sdk/client-iam';
import type { SimContext } from './context.ts';
import { awsError } from './errors.ts';
import { resolvePolicy, roleArn, unknownManagedPolicy } from './iam-model.ts';
import { isAwsManagedArn } from './managed-policies.ts';
import { iamPage } from './pagination.ts';
import { decodePolicyDocument } from './policy-document.ts';
import { evaluate, type PolicySource } from './policy-evaluation.ts';
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
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  const results = actions.flatMap((action) =>
    resources.map((resource) => {
      const { decision, matched } = evaluate(sources, action, resource, boundary);
      return {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: decision,
        MatchedStatements: matched,
        MissingContextValues: [],
      };
    }),
  );
  const { items, ...more } = iamPage('SimulatePrincipalPolicy', results, input);
  return { EvaluationResults: items, ...more };
}
