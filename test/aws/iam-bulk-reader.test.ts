/**
 * Many profiles are read in bulk (ListInstanceProfiles, GetAccountAuthorizationDetails) and only
 * the roles whose documents cannot decide are simulated — with the same verdicts as reading each
 * profile on its own; a denied listing falls back to the per-item reads without a run error.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { PROFILE_ROLE_REQUIREMENT } from '../../lambdas/aws/collect.ts';
import { BULK_THRESHOLD, IamReader } from '../../lambdas/aws/iam.ts';
import { assessPermissions, PROFILE_POLICIES } from '../../lambdas/engine/checks/credentials/grants.ts';
import type { ProfilePicture } from '../../lambdas/engine/facts.ts';
import type { Readout } from '../../lambdas/engine/readout.ts';
import { parseWorld, SimulatedAccount } from '../../lambdas/sim/index.ts';

const ACCOUNT = '111122223333';
const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const COUNT = BULK_THRESHOLD + 5;
const profileArn = (i: number) => `arn:aws:iam::${ACCOUNT}:instance-profile/app-${i}`;
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const deny = (Action: string, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action, Resource: '*', ...extra }],
});

/** `COUNT` profiles whose roles hold Core; a few with something a simulation must weigh. */
function account(sections: Record<string, unknown> = {}, callerPolicy?: unknown) {
  const roles: Record<string, unknown>[] = Array.from({ length: COUNT }, (_, i) => ({
    RoleName: `app-${i}-role`,
    AssumeRolePolicyDocument: TRUST,
    AttachedPolicies: [{ PolicyArn: CORE }],
  }));
  // An inline deny, a boundary, a customer-managed policy with a condition, and one without Core.
  Object.assign(roles[1] as object, {
    RolePolicies: [{ PolicyName: 'no-sessions', PolicyDocument: deny('ssmmessages:*') }],
  });
  Object.assign(roles[2] as object, {
    PermissionsBoundary: { PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/s3-only` },
  });
  (roles[3] as { AttachedPolicies: unknown[] }).AttachedPolicies.push({
    PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/from-vpc`,
  });
  Object.assign(roles[4] as object, { AttachedPolicies: [] });
  return new SimulatedAccount(
    parseWorld({
      format: 'ssm-doctor/world@1',
      accountId: ACCOUNT,
      region: 'eu-west-1',
      iam: {
        InstanceProfiles: Array.from({ length: COUNT }, (_, i) => ({
          InstanceProfileName: `app-${i}`,
          Roles: [{ RoleName: `app-${i}-role` }],
        })),
        Roles: roles,
        Policies: [
          {
            Arn: `arn:aws:iam::${ACCOUNT}:policy/s3-only`,
            PolicyName: 's3-only',
            Document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
            },
          },
          {
            Arn: `arn:aws:iam::${ACCOUNT}:policy/from-vpc`,
            PolicyName: 'from-vpc',
            Document: deny('ssm:UpdateInstanceInformation', {
              Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } },
            }),
          },
        ],
      },
      ...sections,
      ...(callerPolicy ? { simulation: { callerPolicy } } : {}),
    }),
  );
}

const arns = [...Array.from({ length: COUNT }, (_, i) => profileArn(i)), profileArn(999)];

/** The reader a CLI scan makes: its caller is the world's `simulation.callerPolicy`, if any. */
const readerFor = (sim: SimulatedAccount) =>
  new IamReader(
    createClients({ region: 'eu-west-1', simulated: sim, caller: sim.cliCaller() }).iam,
    PROFILE_ROLE_REQUIREMENT,
  );

async function readAll(sim: SimulatedAccount) {
  const reader = readerFor(sim);
  return reader.profiles(arns);
}

/** What the checks conclude from a profile picture: its existence and its role's verdict. */
function verdicts(pictures: Map<string, Readout<ProfilePicture>>) {
  return [...pictures].map(([arn, profile]) => {
    if (!profile.ok) return [arn, profile.problem.operation];
    const role = profile.value.role;
    if (!profile.value.exists || !role) return [arn, profile.value.exists];
    if (!role.ok) return [arn, role.problem.operation];
    return [arn, assessPermissions(role.value, 'aws', PROFILE_POLICIES)];
  });
}

/** The verdicts each profile gets when it is read on its own (the per-item path). */
async function oneByOne(sim: SimulatedAccount) {
  const reader = new IamReader(
    createClients({ region: 'eu-west-1', simulated: sim }).iam,
    PROFILE_ROLE_REQUIREMENT,
  );
  const pictures = new Map<string, Readout<ProfilePicture>>();
  for (const arn of arns) for (const [k, v] of await reader.profiles([arn])) pictures.set(k, v);
  return verdicts(pictures);
}

describe('IamReader with many profiles', () => {
  it('lists profiles and policies once and simulates only the roles the documents cannot decide', async () => {
    const sim = account();
    const pictures = await readAll(sim);

    const calls = sim.callCounts();
    expect(calls['iam:ListInstanceProfiles']).toBe(1);
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(1);
    // Only the profile the listing lacks (deleted) is asked for, and answers NoSuchEntity.
    expect(calls['iam:GetInstanceProfile']).toBe(1);
    expect(calls['iam:ListAttachedRolePolicies']).toBeUndefined();
    // One role to learn there is no organization, then the deny, the boundary, the condition and the one without Core.
    expect(calls['iam:SimulatePrincipalPolicy']).toBe(5);
    expect(verdicts(pictures)).toEqual(await oneByOne(account()));
  });

  it('simulates every role when the account is in an organization (an SCP may intervene)', async () => {
    const organizations = {
      ServiceControlPolicies: [{ PolicyId: 'p-full', Content: allowAll }],
    };
    const sim = account({ organizations });
    const pictures = await readAll(sim);

    expect(sim.callCounts()['iam:SimulatePrincipalPolicy']).toBe(COUNT);
    expect(verdicts(pictures)).toEqual(await oneByOne(account({ organizations })));
  });

  it('an SCP that denies is seen, as the per-profile reads see it', async () => {
    const organizations = {
      ServiceControlPolicies: [
        { PolicyId: 'p-full', Content: allowAll },
        { PolicyId: 'p-no-ssm', Content: deny('ssm:UpdateInstanceInformation') },
      ],
    };
    const pictures = verdicts(await readAll(account({ organizations })));

    expect(pictures[0]?.[1]).toMatchObject({ kind: 'missing', missing: ['ssm:UpdateInstanceInformation'] });
    expect(pictures).toEqual(await oneByOne(account({ organizations })));
  });

  it('falls back to the per-item reads when the listings are denied, with the same verdicts and no problem', async () => {
    const callerPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: ['iam:ListInstanceProfiles', 'iam:GetAccountAuthorizationDetails'],
          Resource: '*',
        },
      ],
    };
    const sim = account({}, callerPolicy);
    const pictures = await readAll(sim);

    const calls = sim.callCounts();
    expect(calls['iam:GetInstanceProfile']).toBe(COUNT + 1);
    expect(calls['iam:ListAttachedRolePolicies']).toBe(COUNT);
    expect(calls['iam:SimulatePrincipalPolicy']).toBe(COUNT);
    expect(verdicts(pictures)).toEqual(await oneByOne(account()));
  });

  it('reads the roles in bulk when only ListInstanceProfiles is denied', async () => {
    const callerPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:ListInstanceProfiles', Resource: '*' },
      ],
    };
    const sim = account({}, callerPolicy);
    const pictures = await readAll(sim);

    const calls = sim.callCounts();
    expect(calls['iam:GetInstanceProfile']).toBe(COUNT + 1);
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(1);
    expect(calls['iam:ListAttachedRolePolicies']).toBeUndefined();
    expect(verdicts(pictures)).toEqual(await oneByOne(account()));
  });

  it('reads few profiles one by one', async () => {
    const sim = account();
    const reader = new IamReader(
      createClients({ region: 'eu-west-1', simulated: sim }).iam,
      PROFILE_ROLE_REQUIREMENT,
    );
    await reader.profiles(arns.slice(0, BULK_THRESHOLD));

    const calls = sim.callCounts();
    expect(calls['iam:ListInstanceProfiles']).toBeUndefined();
    expect(calls['iam:GetAccountAuthorizationDetails']).toBeUndefined();
    expect(calls['iam:GetInstanceProfile']).toBe(BULK_THRESHOLD);
    expect(calls['iam:SimulatePrincipalPolicy']).toBe(BULK_THRESHOLD);
  });
});
