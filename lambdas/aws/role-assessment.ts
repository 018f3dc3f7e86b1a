/**
 * Before `attach-core-policy` is planned for a role: who uses it (every instance in the region,
 * through every instance profile that holds it), whether it may be changed (not opted out, not
 * service-linked, not the stack's own) and whether attaching can help at all (EC2 may assume it;
 * simulated with the core actions added, at least one missing action becomes allowed). The same
 * reads are made again by the action right before the write. Expected errors are named at each
 * call; a role that cannot be read is left out, so it is not changed (`role-unreadable`).
 */
import type { Instance } from '@aws-sdk/client-ec2';
import {
  type EvaluationResult,
  GetRoleCommand,
  paginateListInstanceProfilesForRole,
  type Role,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { CORE_ACTIONS } from '../engine/checks/credentials/grants.ts';
import type { PolicyDocument } from '../engine/facts.ts';
import type { RoleAssessment } from '../engine/remediation/subject.ts';
import { isOptedOut, optOutLabel } from '../engine/tags.ts';
import type { AwsClients } from './clients.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { decodePolicyDocument, profileNameOf } from './iam.ts';
import { describeInstances } from './inventory.ts';
import { drain } from './paging.ts';

export interface AssessOptions {
  /** The profile the stack (or the CLI's `--instance-profile`) associates: its role is never changed. */
  ownProfile?: string;
}

type Clients = Pick<AwsClients, 'ec2' | 'iam'>;

export async function assessRoles(
  clients: Clients,
  roleNames: readonly string[],
  options: AssessOptions,
): Promise<Map<string, RoleAssessment>> {
  // Every role's profiles first, then their users in few reads (a region may have hundreds of
  // roles to assess), then each role on its own.
  const profilesByRole = new Map<string, string[]>();
  for (const name of roleNames) {
    const profiles = await profilesOf(clients, name);
    if (profiles) profilesByRole.set(name, profiles);
  }
  const users = await usersOf(clients, [...new Set([...profilesByRole.values()].flat())]);
  const assessed = new Map<string, RoleAssessment>();
  if (!users) return assessed;
  for (const [name, profiles] of profilesByRole) {
    const assessment = await assessRole(clients, name, options, { profiles, users });
    if (assessment) assessed.set(name, assessment);
  }
  return assessed;
}

const ROLE_ERRORS = [...DENIED_OR_THROTTLED, 'NoSuchEntity'];

/** The role as it is now, or undefined when it cannot be read (then it is not changed). */
export async function assessRole(
  clients: Clients,
  roleName: string,
  options: AssessOptions,
  read?: { profiles: string[]; users: Instance[] },
): Promise<RoleAssessment | undefined> {
  const got = await attempt(
    'GetRole',
    () => clients.iam.send(new GetRoleCommand({ RoleName: roleName })),
    ROLE_ERRORS,
  );
  if (!got.ok || !got.value.Role) return undefined;
  const role = got.value.Role;
  const profileArns = read?.profiles ?? (await profilesOf(clients, roleName));
  if (!profileArns) return undefined;
  const everyone = read?.users ?? (await usersOf(clients, profileArns));
  if (!everyone) return undefined;
  const users = everyone.filter((u) => profileArns.includes(u.IamInstanceProfile?.Arn ?? ''));
  const ids = users
    .map((u) => u.InstanceId ?? '')
    .filter(Boolean)
    .sort();
  const optedOutUsers = users
    .filter((u) => isOptedOut(u.Tags))
    .map((u) => u.InstanceId ?? '')
    .sort();
  const base: RoleAssessment = { roleName, users: ids, optedOutUsers };
  const own = options.ownProfile ? profileNameOf(options.ownProfile) : undefined;
  const blocked = mayNotChange(role, profileArns, own) ?? cannotUse(role);
  if (blocked) return { ...base, blocked };
  const helps = await simulateHelp(clients, role);
  if (!helps) return undefined;
  return { ...base, ...helps };
}

/** The ARNs of every instance profile that holds the role. */
async function profilesOf(clients: Clients, roleName: string): Promise<string[] | undefined> {
  const profiles = await attempt(
    'ListInstanceProfilesForRole',
    () =>
      drain(
        paginateListInstanceProfilesForRole({ client: clients.iam }, { RoleName: roleName }),
        (p) => p.InstanceProfiles,
      ),
    ROLE_ERRORS,
  );
  return profiles.ok ? profiles.value.map((p) => p.Arn ?? '').filter(Boolean) : undefined;
}

/** Every instance (not terminated) whose profile is one of these. */
async function usersOf(clients: Clients, profileArns: string[]): Promise<Instance[] | undefined> {
  const users: Instance[] = [];
  for (let i = 0; i < profileArns.length; i += 200) {
    const part = profileArns.slice(i, i + 200);
    const read = await attempt(
      'DescribeInstances',
      () => describeInstances(clients.ec2, [{ Name: 'iam-instance-profile.arn', Values: part }]),
      DENIED_OR_THROTTLED,
    );
    if (!read.ok) return undefined;
    users.push(...read.value.filter((u) => !['terminated', 'shutting-down'].includes(u.State?.Name ?? '')));
  }
  return users;
}

function mayNotChange(role: Role, profileArns: string[], own: string | undefined): RoleAssessment['blocked'] {
  const name = role.RoleName ?? '';
  if ((role.Path ?? '/').startsWith('/aws-service-role/')) {
    return { reason: 'opted-out', detail: `role ${name} is service-linked: AWS manages it` };
  }
  if (isOptedOut(role.Tags)) {
    return { reason: 'opted-out', detail: `role ${name} is tagged ${optOutLabel(role.Tags)}` };
  }
  if (own && profileArns.some((arn) => profileNameOf(arn) === own)) {
    return { reason: 'opted-out', detail: `role ${name} is ssm-doctor's own (instance profile ${own})` };
  }
  return undefined;
}

/** EC2 can hand the role to an instance only when its trust policy lets ec2.amazonaws.com assume it. */
export function trustsEc2(trust: PolicyDocument): boolean {
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return list(trust.Statement).some((s) => {
    if (s.Effect !== 'Allow') return false;
    const actions = list(s.Action as string | string[] | undefined);
    if (!actions.some((a) => a === '*' || a === 'sts:*' || a.toLowerCase() === 'sts:assumerole'))
      return false;
    const principal = s.Principal as { Service?: string | string[] } | string | undefined;
    if (typeof principal !== 'object' || !principal) return false;
    return list(principal.Service).includes('ec2.amazonaws.com');
  });
}

function cannotUse(role: Role): RoleAssessment['blocked'] {
  const trust = decodePolicyDocument(role.AssumeRolePolicyDocument);
  if (trustsEc2(trust)) return undefined;
  const services = [trust.Statement ?? []]
    .flat()
    .flatMap((s) => [(s.Principal as { Service?: string | string[] } | undefined)?.Service ?? []].flat())
    .join(', ');
  return {
    reason: 'would-not-help',
    detail: `role ${role.RoleName} does not trust ec2.amazonaws.com${services ? ` (only ${services})` : ''}: no instance can use it, whatever it is allowed`,
  };
}

/** The core actions as an identity policy, for "what if it were attached" simulations. */
const CORE_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: [...CORE_ACTIONS], Resource: '*' }],
});

/**
 * Simulates the role now and with the core actions added: attaching helps when at least one
 * action that is not allowed now would be; what stays blocked is named by layer.
 */
async function simulateHelp(
  clients: Clients,
  role: Role,
): Promise<Pick<RoleAssessment, 'blocked' | 'partly'> | undefined> {
  const simulate = (withCore: boolean) =>
    attempt('SimulatePrincipalPolicy', async () => {
      const { EvaluationResults = [] } = await clients.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: role.Arn,
          ActionNames: [...CORE_ACTIONS],
          ...(withCore ? { PolicyInputList: [CORE_DOCUMENT] } : {}),
        }),
      );
      return EvaluationResults;
    }, [...ROLE_ERRORS, 'PolicyEvaluation', 'InvalidInput']);
  const [now, after] = [await simulate(false), await simulate(true)];
  if (!now.ok || !after.ok) return undefined;
  const allowedNow = new Set(
    now.value.filter((r) => r.EvalDecision === 'allowed').map((r) => r.EvalActionName),
  );
  const missing = CORE_ACTIONS.filter((a) => !allowedNow.has(a));
  if (!missing.length) {
    return {
      blocked: {
        reason: 'would-not-help',
        detail: `role ${role.RoleName} is already allowed every action the agent needs: nothing to attach`,
      },
    };
  }
  const stillBlocked = after.value.filter(
    (r) =>
      r.EvalDecision !== 'allowed' && missing.includes(r.EvalActionName as (typeof CORE_ACTIONS)[number]),
  );
  if (!stillBlocked.length) return {};
  const blockers = [...new Set(stillBlocked.map((r) => layerOf(role, r)))];
  const actions = stillBlocked.map((r) => r.EvalActionName).join(', ');
  const sentence = `${actions} would stay blocked by ${blockers.join('; ')}`;
  if (stillBlocked.length === missing.length) {
    return {
      blocked: {
        reason: 'would-not-help',
        detail: `attaching ${'AmazonSSMManagedInstanceCore'} cannot help: ${sentence}`,
      },
    };
  }
  return { partly: `attaching helps only partly: ${sentence}` };
}

type Evaluation = EvaluationResult;

function layerOf(role: Role, result: Evaluation): string {
  if (result.EvalDecision === 'explicitDeny') {
    const policies = (result.MatchedStatements ?? []).map((m) => m.SourcePolicyId).filter(Boolean);
    return `an explicit deny${policies.length ? ` in ${[...new Set(policies)].join(', ')}` : ''}`;
  }
  if (result.OrganizationsDecisionDetail?.AllowedByOrganizations === false)
    return 'a service control policy (SCP)';
  const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
  if (result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false || boundary) {
    return `the permissions boundary${boundary ? ` ${boundary}` : ''}`;
  }
  return 'a layer IAM did not name (an SCP or resource control policy?)';
}
