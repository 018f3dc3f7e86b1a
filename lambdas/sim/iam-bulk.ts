/**
 * `iam:GetAccountAuthorizationDetails`: the account's roles with everything IAM holds about each
 * (trust policy, inline policies with their documents, attached managed policies, boundary, tags,
 * instance profiles) and its managed policies with their versions, in one paginated listing.
 * Entities of every requested type page together (`MaxItems` counts roles and policies alike), as
 * IAM does; the world has no users or groups, so those lists are always empty.
 */
import type { EntityType, GetAccountAuthorizationDetailsRequest } from '@aws-sdk/client-iam';
import type { SimContext } from './context.ts';
import { awsError } from './errors.ts';
import { profileOutput, type ResolvedPolicy, resolvePolicy, roleOutput } from './iam-model.ts';
import { isAwsManagedArn, MANAGED_POLICIES } from './managed-policies.ts';
import { iamPage } from './pagination.ts';
import { encodePolicyDocument } from './policy-document.ts';
import type { WorldRole } from './world-types.ts';

const ENTITY_TYPES: readonly EntityType[] = [
  'User',
  'Role',
  'Group',
  'LocalManagedPolicy',
  'AWSManagedPolicy',
];

type Entry =
  | { kind: 'role'; detail: Record<string, unknown> }
  | { kind: 'policy'; detail: Record<string, unknown> };

function filterOf(input: GetAccountAuthorizationDetailsRequest): Set<string> {
  const filter = input.Filter ?? [];
  const invalid = filter.find((f) => !ENTITY_TYPES.includes(f));
  if (invalid !== undefined) {
    throw awsError(
      'iam',
      'ValidationError',
      `1 validation error detected: Value '[${filter.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${ENTITY_TYPES.join(', ')}]]`,
    );
  }
  // No filter: every entity type.
  return new Set(filter.length ? filter : ENTITY_TYPES);
}

/** A role as RoleDetailList holds it: GetRole's fields plus its policies and instance profiles. */
function roleDetail(ctx: SimContext, role: WorldRole): Record<string, unknown> {
  const { AttachedPolicies, RolePolicies, ...fields } = roleOutput(ctx, role) as Record<string, unknown> &
    Pick<WorldRole, 'AttachedPolicies' | 'RolePolicies'>;
  return {
    ...fields,
    InstanceProfileList: ctx.world.iam.InstanceProfiles.filter((p) =>
      (p.Roles ?? []).some((r) => r.RoleName === role.RoleName),
    ).map((p) => profileOutput(ctx, p)),
    RolePolicyList: (RolePolicies ?? []).map((p) => ({
      PolicyName: p.PolicyName,
      PolicyDocument: encodePolicyDocument(p.PolicyDocument),
    })),
    AttachedManagedPolicies: (AttachedPolicies ?? []).map((p) => ({
      PolicyArn: p.PolicyArn,
      PolicyName: p.PolicyName ?? p.PolicyArn.slice(p.PolicyArn.lastIndexOf('/') + 1),
    })),
  };
}

/** A managed policy as the Policies list holds it: its metadata, usage counts and default version. */
function policyDetail(ctx: SimContext, policy: ResolvedPolicy): Record<string, unknown> {
  const { document, source: _source, ...fields } = policy;
  const roles = ctx.world.iam.Roles;
  return {
    ...fields,
    AttachmentCount: roles.filter((r) => r.AttachedPolicies?.some((a) => a.PolicyArn === policy.Arn)).length,
    PermissionsBoundaryUsageCount: roles.filter(
      (r) => r.PermissionsBoundary?.PermissionsBoundaryArn === policy.Arn,
    ).length,
    IsAttachable: true,
    PolicyVersionList: [
      {
        Document: encodePolicyDocument(document),
        VersionId: policy.DefaultVersionId,
        IsDefaultVersion: true,
        CreateDate: policy.UpdateDate ?? policy.CreateDate,
      },
    ],
  };
}

/**
 * `LocalManagedPolicy`: the customer-managed policies of the world. `AWSManagedPolicy`: the
 * AWS-managed policies in use in the account (attached or a boundary) whose documents the
 * simulator knows.
 */
function managedPolicies(ctx: SimContext, filter: Set<string>): ResolvedPolicy[] {
  const local = filter.has('LocalManagedPolicy')
    ? ctx.world.iam.Policies.map((p) => p.Arn).filter((arn) => !isAwsManagedArn(arn))
    : [];
  const inUse = ctx.world.iam.Roles.flatMap((r) => [
    ...(r.AttachedPolicies ?? []).map((a) => a.PolicyArn),
    ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? [r.PermissionsBoundary.PermissionsBoundaryArn] : []),
  ]);
  const known = new Set([...Object.keys(MANAGED_POLICIES), ...ctx.world.iam.Policies.map((p) => p.Arn)]);
  const aws = filter.has('AWSManagedPolicy')
    ? [...new Set(inUse)].filter((arn): arn is string => !!arn && isAwsManagedArn(arn) && known.has(arn))
    : [];
  return [...local, ...aws]
    .map((arn) => resolvePolicy(ctx.world, arn))
    .filter((p): p is ResolvedPolicy => p !== undefined);
}

export function getAccountAuthorizationDetails(
  input: GetAccountAuthorizationDetailsRequest,
  ctx: SimContext,
) {
  const filter = filterOf(input);
  const entries: Entry[] = [
    ...(filter.has('Role')
      ? ctx.world.iam.Roles.map((r): Entry => ({ kind: 'role', detail: roleDetail(ctx, r) }))
      : []),
    ...managedPolicies(ctx, filter).map((p): Entry => ({ kind: 'policy', detail: policyDetail(ctx, p) })),
  ];
  const { items, ...more } = iamPage('GetAccountAuthorizationDetails', entries, input);
  return {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: items.filter((e) => e.kind === 'role').map((e) => e.detail),
    Policies: items.filter((e) => e.kind === 'policy').map((e) => e.detail),
    ...more,
  };
}
