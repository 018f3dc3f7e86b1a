/**
 * The simulated IAM API: instance profiles, roles, their managed and inline policies (one by one,
 * or all at once with GetAccountAuthorizationDetails, `iam-bulk.ts`), policy simulation, and
 * AttachRolePolicy. Documents come back URL-encoded and lists page with
 * Marker/IsTruncated/MaxItems, as IAM does.
 */
import type {
  AttachRolePolicyRequest,
  GetInstanceProfileRequest,
  GetPolicyRequest,
  GetPolicyVersionRequest,
  GetRolePolicyRequest,
  GetRoleRequest,
  ListAttachedRolePoliciesRequest,
  ListInstanceProfilesForRoleRequest,
  ListInstanceProfilesRequest,
  ListPoliciesRequest,
  ListRolePoliciesRequest,
  ListRolesRequest,
  TagRoleRequest,
} from '@aws-sdk/client-iam';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';
import { getAccountAuthorizationDetails } from './iam-bulk.ts';
import {
  findProfileByName,
  findRole,
  instancesUsingRole,
  profileOutput,
  type ResolvedPolicy,
  resolvePolicy,
  roleOutput,
} from './iam-model.ts';
import { simulatePrincipalPolicy } from './iam-simulation.ts';
import { MANAGED_POLICIES } from './managed-policies.ts';
import { iamPage } from './pagination.ts';
import { encodePolicyDocument } from './policy-document.ts';
import { evaluate } from './policy-evaluation.ts';

const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+/;

const noSuchEntity = (message: string) => awsError('iam', 'NoSuchEntity', message);

export function requireRole(ctx: SimContext, name: string | undefined) {
  const role = findRole(ctx.world, name ?? '');
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

function requirePolicy(ctx: SimContext, arn: string | undefined): ResolvedPolicy {
  if (!POLICY_ARN.test(arn ?? '')) throw awsError('iam', 'InvalidInput', `ARN ${arn} is not valid.`);
  const policy = resolvePolicy(ctx.world, arn ?? '');
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

const underPath = (prefix: string | undefined) => (entity: { Path?: string }) =>
  (entity.Path ?? '/').startsWith(prefix ?? '/');

function getInstanceProfile(input: GetInstanceProfileRequest, ctx: SimContext) {
  const profile = findProfileByName(ctx.world, input.InstanceProfileName ?? '');
  if (!profile) throw noSuchEntity(`Instance Profile ${input.InstanceProfileName} cannot be found.`);
  return { InstanceProfile: profileOutput(ctx, profile) };
}

function getRole(input: GetRoleRequest, ctx: SimContext) {
  return { Role: roleOutput(ctx, requireRole(ctx, input.RoleName)) };
}

function listAttachedRolePolicies(input: ListAttachedRolePoliciesRequest, ctx: SimContext) {
  const role = requireRole(ctx, input.RoleName);
  const attached = (role.AttachedPolicies ?? [])
    .map((p) => ({
      PolicyArn: p.PolicyArn,
      PolicyName: p.PolicyName ?? p.PolicyArn.slice(p.PolicyArn.lastIndexOf('/') + 1),
    }))
    .filter((p) => !input.PathPrefix || (p.PolicyArn.split(':policy')[1] ?? '').startsWith(input.PathPrefix));
  const { items, ...more } = iamPage('ListAttachedRolePolicies', attached, input);
  return { AttachedPolicies: items, ...more };
}

function listRolePolicies(input: ListRolePoliciesRequest, ctx: SimContext) {
  const role = requireRole(ctx, input.RoleName);
  const { items, ...more } = iamPage(
    'ListRolePolicies',
    (role.RolePolicies ?? []).map((p) => p.PolicyName),
    input,
  );
  return { PolicyNames: items, ...more };
}

function getRolePolicy(input: GetRolePolicyRequest, ctx: SimContext) {
  const role = requireRole(ctx, input.RoleName);
  const inline = role.RolePolicies?.find((p) => p.PolicyName === input.PolicyName);
  if (!inline) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
  return {
    RoleName: role.RoleName,
    PolicyName: inline.PolicyName,
    PolicyDocument: encodePolicyDocument(inline.PolicyDocument),
  };
}

function policyOutput(ctx: SimContext, policy: ResolvedPolicy) {
  const { document: _document, source: _source, ...fields } = policy;
  const AttachmentCount = ctx.world.iam.Roles.filter((r) =>
    r.AttachedPolicies?.some((a) => a.PolicyArn === policy.Arn),
  ).length;
  return { ...fields, AttachmentCount, IsAttachable: true };
}

function getPolicy(input: GetPolicyRequest, ctx: SimContext) {
  return { Policy: policyOutput(ctx, requirePolicy(ctx, input.PolicyArn)) };
}

function getPolicyVersion(input: GetPolicyVersionRequest, ctx: SimContext) {
  const policy = requirePolicy(ctx, input.PolicyArn);
  if (input.VersionId !== policy.DefaultVersionId) {
    throw noSuchEntity(
      `Policy ${policy.Arn} version ${input.VersionId} does not exist or is not attachable.`,
    );
  }
  return {
    PolicyVersion: {
      Document: encodePolicyDocument(policy.document),
      VersionId: policy.DefaultVersionId,
      IsDefaultVersion: true,
      CreateDate: policy.UpdateDate ?? policy.CreateDate,
    },
  };
}

function listRoles(input: ListRolesRequest, ctx: SimContext) {
  const roles = ctx.world.iam.Roles.filter(underPath(input.PathPrefix)).map((r) => roleOutput(ctx, r));
  const { items, ...more } = iamPage('ListRoles', roles, input);
  return { Roles: items, ...more };
}

function listInstanceProfiles(input: ListInstanceProfilesRequest, ctx: SimContext) {
  const profiles = ctx.world.iam.InstanceProfiles.filter(underPath(input.PathPrefix)).map((p) =>
    profileOutput(ctx, p),
  );
  const { items, ...more } = iamPage('ListInstanceProfiles', profiles, input);
  return { InstanceProfiles: items, ...more };
}

/** The profiles that hold the role (a role may sit in several). */
function listInstanceProfilesForRole(input: ListInstanceProfilesForRoleRequest, ctx: SimContext) {
  const role = requireRole(ctx, input.RoleName);
  const profiles = ctx.world.iam.InstanceProfiles.filter((p) =>
    (p.Roles ?? []).some((r) => r.RoleName === role.RoleName),
  ).map((p) => profileOutput(ctx, p));
  const { items, ...more } = iamPage('ListInstanceProfilesForRole', profiles, input);
  return { InstanceProfiles: items, ...more };
}

/** Scope `Local` = customer-managed (iam.Policies), `AWS` = the managed policies the simulator knows. */
function listPolicies(input: ListPoliciesRequest, ctx: SimContext) {
  const scope = input.Scope ?? 'All';
  const arns = [
    ...(scope === 'Local' ? [] : Object.keys(MANAGED_POLICIES)),
    ...ctx.world.iam.Policies.map((p) => p.Arn).filter((arn) => !(arn in MANAGED_POLICIES)),
  ];
  const policies = arns
    .map((arn) => policyOutput(ctx, requirePolicy(ctx, arn)))
    .filter((p) => scope === 'All' || (scope === 'AWS') === /:iam::aws:policy\//.test(p.Arn))
    .filter((p) => !input.OnlyAttached || p.AttachmentCount > 0)
    .filter(underPath(input.PathPrefix));
  const { items, ...more } = iamPage('ListPolicies', policies, input);
  return { Policies: items, ...more };
}

/**
 * Idempotent, as IAM: attaching an attached policy succeeds and changes nothing. A policy that
 * lets the agent register (`ssm:UpdateInstanceInformation`) counts as a fix for the instances
 * whose profile holds the role (simulation.onlineAfterFix).
 */
function attachRolePolicy(input: AttachRolePolicyRequest, ctx: SimContext) {
  if (!POLICY_ARN.test(input.PolicyArn ?? ''))
    throw awsError('iam', 'InvalidInput', `ARN ${input.PolicyArn} is not valid.`);
  const role = requireRole(ctx, input.RoleName);
  const policy = resolvePolicy(ctx.world, input.PolicyArn ?? '');
  if (!policy) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
  const attached = role.AttachedPolicies ?? [];
  if (attached.some((p) => p.PolicyArn === policy.Arn)) return {};
  const before = attached.map((p) => p.PolicyArn);
  role.AttachedPolicies = [...attached, { PolicyName: policy.PolicyName, PolicyArn: policy.Arn }];
  ctx.recordChange(
    role.RoleName,
    { AttachedPolicies: before },
    { AttachedPolicies: [...before, policy.Arn] },
  );
  const source = { id: policy.PolicyName, type: policy.source, document: policy.document };
  if (evaluate([source], 'ssm:UpdateInstanceInformation').decision === 'allowed') {
    ctx.fixApplied(instancesUsingRole(ctx, role.RoleName));
  }
  return {};
}

/**
 * TagRole (the marker a role change leaves): adds or overwrites tags, IAM's rules: at most 50 per
 * role, keys 1–128 and values 0–256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, no `aws:` keys,
 * and keys that differ only in case are one key (the new value replaces the old, key kept).
 */
const IAM_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function tagRole(input: TagRoleRequest, ctx: SimContext) {
  const role = requireRole(ctx, input.RoleName);
  const tags = input.Tags ?? [];
  for (const tag of tags) {
    const key = tag.Key ?? '';
    const value = tag.Value ?? '';
    if (
      !key.length ||
      key.length > 128 ||
      value.length > 256 ||
      !IAM_TAG_TEXT.test(key) ||
      !IAM_TAG_TEXT.test(value)
    ) {
      throw awsError(
        'iam',
        'InvalidInput',
        `1 validation error detected: Value at 'tags' failed to satisfy constraint for key '${key}'`,
      );
    }
    if (/^aws:/i.test(key))
      throw awsError('iam', 'InvalidInput', 'User is not authorized to tag with the aws: prefix');
  }
  const before = structuredClone(role.Tags ?? []);
  const after = [...before];
  for (const tag of tags) {
    const at = after.findIndex((t) => (t.Key ?? '').toLowerCase() === (tag.Key ?? '').toLowerCase());
    if (at >= 0) after[at] = { Key: after[at]?.Key ?? tag.Key ?? '', Value: tag.Value ?? '' };
    else after.push({ Key: tag.Key ?? '', Value: tag.Value ?? '' });
  }
  if (after.length > 50)
    throw awsError('iam', 'LimitExceeded', 'The number of tags has reached the maximum limit.');
  role.Tags = after;
  ctx.recordChange(role.RoleName, { Tags: before }, { Tags: after });
  return {};
}

export const iamHandlers: Handlers = {
  GetInstanceProfile: getInstanceProfile,
  GetRole: getRole,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  ListRolePolicies: listRolePolicies,
  GetRolePolicy: getRolePolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  ListRoles: listRoles,
  ListInstanceProfiles: listInstanceProfiles,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
  ListPolicies: listPolicies,
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
  AttachRolePolicy: attachRolePolicy,
  TagRole: tagRole,
};
