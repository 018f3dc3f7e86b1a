/**
 * IAM entities of a world as IAM answers them. World files may leave out what IAM derives (ARNs,
 * unique ids, paths) and may give documents in either form; these helpers fill in the same values
 * every time, so GetRole, GetInstanceProfile and ListRoles agree with each other and with the
 * ARNs on instances.
 */
import type { SimContext } from './context.ts';
import { SimulatorError } from './errors.ts';
import { iamUniqueId } from './ids.ts';
import { findManagedPolicy, isAwsManagedArn } from './managed-policies.ts';
import { decodePolicyDocument, encodePolicyDocument, type PolicyDocument } from './policy-document.ts';
import type { World } from './world-schema.ts';
import type { WorldInstanceProfile, WorldRole } from './world-types.ts';

type Account = Pick<SimContext, 'accountId' | 'partition'>;

const pathOf = (entity: { Path?: string }) => entity.Path ?? '/';

export const roleArn = (account: Account, role: { RoleName: string; Arn?: string; Path?: string }) =>
  role.Arn ?? `arn:${account.partition}:iam::${account.accountId}:role${pathOf(role)}${role.RoleName}`;

export const profileArn = (account: Account, profile: WorldInstanceProfile) =>
  profile.Arn ??
  `arn:${account.partition}:iam::${account.accountId}:instance-profile${pathOf(profile)}${profile.InstanceProfileName}`;

export const profileId = (account: Account, profile: WorldInstanceProfile) =>
  profile.InstanceProfileId ?? iamUniqueId('AIPA', profileArn(account, profile));

export const findRole = (world: World, name: string) => world.iam.Roles.find((r) => r.RoleName === name);

export const findProfileByName = (world: World, name: string) =>
  world.iam.InstanceProfiles.find((p) => p.InstanceProfileName === name);

export const findProfileByArn = (account: Account & { world: World }, arn: string) =>
  account.world.iam.InstanceProfiles.find((p) => profileArn(account, p) === arn);

/** A role as GetRole returns it: derived fields filled, trust policy URL-encoded. */
export function roleOutput(account: Account, role: WorldRole): Record<string, unknown> {
  const arn = roleArn(account, role);
  return {
    ...role,
    Path: pathOf(role),
    Arn: arn,
    RoleId: role.RoleId ?? iamUniqueId('AROA', arn),
    AssumeRolePolicyDocument: encodePolicyDocument(role.AssumeRolePolicyDocument),
  };
}

/** A profile as GetInstanceProfile returns it: its Roles are full Role objects. */
export function profileOutput(
  account: Account & { world: World },
  profile: WorldInstanceProfile,
): Record<string, unknown> {
  return {
    ...profile,
    Path: pathOf(profile),
    Arn: profileArn(account, profile),
    InstanceProfileId: profileId(account, profile),
    Roles: (profile.Roles ?? []).map((listed) => {
      const role = findRole(account.world, listed.RoleName);
      // A role listed by name only but absent from iam.Roles is answered as listed.
      return role ? roleOutput(account, role) : { Path: '/', ...listed, Arn: roleArn(account, listed) };
    }),
  };
}

export interface ResolvedPolicy {
  Arn: string;
  PolicyName: string;
  Path: string;
  PolicyId: string;
  DefaultVersionId: string;
  CreateDate?: string;
  UpdateDate?: string;
  Description?: string;
  source: 'aws-managed' | 'user-managed';
  document: PolicyDocument;
}

/**
 * The managed policy behind an ARN: one listed in `iam.Policies` (customer-managed, or a document
 * the world supplies for an AWS-managed policy), else an AWS-managed policy the simulator knows.
 * `undefined` when neither; an AWS-managed ARN the simulator cannot resolve is a SimulatorError
 * for callers that need its document (the world must supply it).
 */
export function resolvePolicy(world: World, arn: string): ResolvedPolicy | undefined {
  const listed = world.iam.Policies.find((p) => p.Arn === arn);
  const source = isAwsManagedArn(arn) ? 'aws-managed' : 'user-managed';
  if (listed) {
    const name = listed.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1);
    return {
      Arn: arn,
      PolicyName: name,
      Path: listed.Path ?? (arn.split(':policy')[1]?.slice(0, -name.length) || '/'),
      PolicyId: listed.PolicyId ?? iamUniqueId('ANPA', arn),
      DefaultVersionId: listed.DefaultVersionId ?? 'v1',
      CreateDate: listed.CreateDate,
      UpdateDate: listed.UpdateDate,
      Description: listed.Description,
      source,
      document: decodePolicyDocument(listed.Document),
    };
  }
  const managed = findManagedPolicy(arn);
  if (!managed) return undefined;
  const { Document, ...meta } = managed;
  return { ...meta, Arn: arn, PolicyId: iamUniqueId('ANPA', arn), source, document: Document };
}

export function unknownManagedPolicy(arn: string): SimulatorError {
  return new SimulatorError(
    `The simulated account does not know the document of the AWS-managed policy ${arn}; ` +
      'add it to iam.Policies as { "Arn", "PolicyName", "Document" }',
  );
}

/** Instance ids whose instance profile holds `roleName`. */
export function instancesUsingRole(account: Account & { world: World }, roleName: string): string[] {
  const arns = new Set(
    account.world.iam.InstanceProfiles.filter((p) => p.Roles?.some((r) => r.RoleName === roleName)).map((p) =>
      profileArn(account, p),
    ),
  );
  return account.world.ec2.Instances.filter(
    (i) => i.IamInstanceProfile?.Arn && arns.has(i.IamInstanceProfile.Arn),
  ).map((i) => i.InstanceId);
}
