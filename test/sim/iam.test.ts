import {
  GetAccountAuthorizationDetailsCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAttachedRolePolicies,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { SimulatorError } from '../../lambdas/sim/errors.ts';
import { MANAGED_POLICY_DOCUMENTS } from '../../lambdas/sim/managed-policies.ts';
import { ACCOUNT, rejection, simulate, trustEc2, world } from './helpers.ts';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const CUSTOM = `arn:aws:iam::${ACCOUNT}:policy/team/AgentBasics`;
const role = (name: string, extra: Record<string, unknown> = {}) => ({
  RoleName: name,
  AssumeRolePolicyDocument: trustEc2,
  CreateDate: '2024-05-01T00:00:00Z',
  ...extra,
});

const iamWorld = world({
  iam: {
    InstanceProfiles: [
      { InstanceProfileName: 'app', Roles: [{ RoleName: 'app-role' }] },
      { InstanceProfileName: 'empty', Path: '/ops/' },
    ],
    Roles: [
      role('app-role', {
        // As IAM returns it: URL-encoded JSON.
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustEc2)),
        AttachedPolicies: [{ PolicyArn: CORE }],
        RolePolicies: [
          {
            PolicyName: 'no-data-channel',
            PolicyDocument: {
              Statement: [{ Effect: 'Deny', Action: 'ssmmessages:CreateDataChannel', Resource: '*' }],
            },
          },
        ],
      }),
      role('custom-role', { AttachedPolicies: [{ PolicyArn: CUSTOM }] }),
      role('inline-only', {
        RolePolicies: [
          {
            PolicyName: 'everything-but-iam',
            PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
          },
        ],
      }),
      role('bounded', {
        AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
        PermissionsBoundary: { PermissionsBoundaryArn: CUSTOM, PermissionsBoundaryType: 'Policy' },
      }),
      role('mystery', {
        AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy' }],
      }),
      role('many', {
        AttachedPolicies: Array.from({ length: 5 }, (_, i) => ({
          PolicyArn: `arn:aws:iam::aws:policy/P${i}`,
        })),
      }),
    ],
    Policies: [
      {
        Arn: CUSTOM,
        PolicyName: 'AgentBasics',
        Document: encodeURIComponent(
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['ssm:UpdateInstance?nformation', 'SSMMESSAGES:*'], Resource: '*' },
              { Effect: 'Allow', Action: 'ec2messages:GetMessages', Resource: 'arn:aws:ec2messages:*' },
            ],
          }),
        ),
      },
    ],
  },
});

const decode = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? ''));

describe('reading IAM', () => {
  test('GetInstanceProfile answers full Role objects with URL-encoded trust policies', async () => {
    const { iam } = simulate(iamWorld);
    const out = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'app' }));
    const profile = out.InstanceProfile;
    expect(profile?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:instance-profile/app`);
    expect(profile?.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);
    expect(profile?.Roles?.[0]).toMatchObject({
      RoleName: 'app-role',
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/app-role`,
      RoleId: expect.stringMatching(/^AROA/),
      CreateDate: new Date('2024-05-01T00:00:00Z'),
    });
    expect(profile?.Roles?.[0]).not.toHaveProperty('AttachedPolicies');
    expect(decode(profile?.Roles?.[0].AssumeRolePolicyDocument)).toEqual(trustEc2);
    const missing = await rejection(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'gone' })));
    expect([missing.name, missing.Code, missing.message]).toEqual([
      'NoSuchEntityException',
      'NoSuchEntity',
      'Instance Profile gone cannot be found.',
    ]);
  });

  test('GetRole encodes an object document the same way', async () => {
    const { iam } = simulate(iamWorld);
    const out = await iam.send(new GetRoleCommand({ RoleName: 'custom-role' }));
    expect(out.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(JSON.stringify(trustEc2)));
    expect(decode(out.Role?.AssumeRolePolicyDocument)).toEqual(trustEc2);
  });

  test('attached and inline policies of a role', async () => {
    const { iam } = simulate(iamWorld);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: CORE },
    ]);
    expect(attached.IsTruncated).toBe(false);
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role' }));
    expect(names.PolicyNames).toEqual(['no-data-channel']);
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'no-data-channel' }),
    );
    expect(decode(inline.PolicyDocument).Statement[0].Effect).toBe('Deny');
    expect(
      (await rejection(iam.send(new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'x' })))).name,
    ).toBe('NoSuchEntityException');
    expect(
      (await rejection(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'nobody' })))).name,
    ).toBe('NoSuchEntityException');
  });

  test('IAM lists page with Marker and IsTruncated', async () => {
    const sim = simulate(iamWorld);
    const first = await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'many', MaxItems: 2 }));
    expect(first.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['P0', 'P1']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeDefined();
    const all: string[] = [];
    for await (const page of paginateListAttachedRolePolicies(
      { client: sim.iam, pageSize: 2 },
      { RoleName: 'many' },
    )) {
      all.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyName ?? ''));
    }
    expect(all).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
    const error = await rejection(sim.iam.send(new ListRolesCommand({ MaxItems: 0 })));
    expect(error.name).toBe('ValidationError');
  });

  test('GetPolicy / GetPolicyVersion for AWS-managed and customer-managed policies', async () => {
    const { iam } = simulate(iamWorld);
    const core = await iam.send(new GetPolicyCommand({ PolicyArn: CORE }));
    expect(core.Policy).toMatchObject({
      PolicyName: 'AmazonSSMManagedInstanceCore',
      DefaultVersionId: 'v2',
      AttachmentCount: 1,
    });
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: CORE, VersionId: 'v2' }));
    expect(decode(version.PolicyVersion?.Document)).toEqual(MANAGED_POLICY_DOCUMENTS[CORE]);
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);
    const custom = await iam.send(new GetPolicyCommand({ PolicyArn: CUSTOM }));
    expect(custom.Policy).toMatchObject({
      PolicyName: 'AgentBasics',
      Path: '/team/',
      DefaultVersionId: 'v1',
    });
    // Partition-agnostic: the same managed policy in aws-cn.
    const cn = await iam.send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore' }),
    );
    expect(cn.Policy?.PolicyName).toBe('AmazonSSMManagedInstanceCore');
    expect(
      (await rejection(iam.send(new GetPolicyVersionCommand({ PolicyArn: CORE, VersionId: 'v1' })))).name,
    ).toBe('NoSuchEntityException');
    expect((await rejection(iam.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn' })))).name).toBe(
      'InvalidInputException',
    );
  });

  test('ListRoles, ListInstanceProfiles and ListPolicies', async () => {
    const { iam } = simulate(iamWorld);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toHaveLength(6);
    const ops = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/ops/' }));
    expect(ops.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(['empty']);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((p) => p.Arn)).toEqual([CUSTOM]);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    expect(aws.Policies?.map((p) => p.PolicyName).sort()).toEqual([
      'AdministratorAccess',
      'AmazonSSMManagedInstanceCore',
    ]);
  });
});

describe('SimulatePrincipalPolicy', () => {
  const simulatePolicy = async (roleName: string, ActionNames: string[], ResourceArns?: string[]) => {
    const { iam } = simulate(iamWorld);
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
        ActionNames,
        ResourceArns,
      }),
    );
    return out.EvaluationResults ?? [];
  };
  const decisions = async (roleName: string, actions: string[], resources?: string[]) =>
    Object.fromEntries(
      (await simulatePolicy(roleName, actions, resources)).map((r) => [
        `${r.EvalActionName}@${r.EvalResourceName}`,
        r.EvalDecision,
      ]),
    );

  test('AWS-managed Allow, an inline explicit Deny wins, nothing matches → implicitDeny', async () => {
    const results = await simulatePolicy('app-role', [
      'ssm:UpdateInstanceInformation',
      'ssmmessages:CreateDataChannel',
      'ec2:TerminateInstances',
    ]);
    expect(results.map((r) => r.EvalDecision)).toEqual(['allowed', 'explicitDeny', 'implicitDeny']);
    expect(results[0].MatchedStatements).toEqual([
      { SourcePolicyId: 'AmazonSSMManagedInstanceCore', SourcePolicyType: 'aws-managed' },
    ]);
    expect(results[1].MatchedStatements).toEqual([
      { SourcePolicyId: 'no-data-channel', SourcePolicyType: 'role' },
    ]);
    expect(results[2].MatchedStatements).toEqual([]);
    expect(results[0].EvalResourceName).toBe('*');
  });

  test('customer-managed policy: ? and * wildcards, case-insensitive actions, literal resources', async () => {
    expect(
      await decisions('custom-role', [
        'ssm:UpdateInstanceInformation',
        'ssmmessages:OpenControlChannel',
        'ssm:UpdateInstanceXInformation',
        'ec2messages:GetMessages',
      ]),
    ).toEqual({
      'ssm:UpdateInstanceInformation@*': 'allowed',
      'ssmmessages:OpenControlChannel@*': 'allowed',
      'ssm:UpdateInstanceXInformation@*': 'implicitDeny',
      // Resource arn:aws:ec2messages:* does not cover the simulated resource "*".
      'ec2messages:GetMessages@*': 'implicitDeny',
    });
    expect(
      await decisions('custom-role', ['ec2messages:GetMessages'], ['arn:aws:ec2messages:eu-west-1:1:x']),
    ).toEqual({
      'ec2messages:GetMessages@arn:aws:ec2messages:eu-west-1:1:x': 'allowed',
    });
    const [result] = await simulatePolicy('custom-role', ['ssm:UpdateInstanceInformation']);
    expect(result.MatchedStatements).toEqual([
      { SourcePolicyId: 'AgentBasics', SourcePolicyType: 'user-managed' },
    ]);
  });

  test('NotAction in an inline policy', async () => {
    expect(await decisions('inline-only', ['ssm:UpdateInstanceInformation', 'iam:PassRole'])).toEqual({
      'ssm:UpdateInstanceInformation@*': 'allowed',
      'iam:PassRole@*': 'implicitDeny',
    });
  });

  test('a permissions boundary limits what the identity policies allow', async () => {
    expect(await decisions('bounded', ['ssm:UpdateInstanceInformation', 's3:GetObject'])).toEqual({
      'ssm:UpdateInstanceInformation@*': 'allowed',
      's3:GetObject@*': 'implicitDeny',
    });
  });

  test('PolicyInputList documents are evaluated too', async () => {
    const { iam } = simulate(iamWorld);
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/inline-only`,
        ActionNames: ['ssm:GetParameter'],
        PolicyInputList: [
          JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'ssm:Get*', Resource: '*' }] }),
        ],
      }),
    );
    expect(out.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'explicitDeny',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none' }],
    });
  });

  test('an unknown PolicySourceArn is NoSuchEntity', async () => {
    const { iam } = simulate(iamWorld);
    const error = await rejection(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/nobody`,
          ActionNames: ['s3:*'],
        }),
      ),
    );
    expect(error.name).toBe('NoSuchEntityException');
  });

  test('an AWS-managed policy whose document the simulator does not know fails loudly', async () => {
    const { iam } = simulate(iamWorld);
    const error = await rejection(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/mystery`,
          ActionNames: ['ssm:UpdateInstanceInformation'],
        }),
      ),
    );
    expect(error).toBeInstanceOf(SimulatorError);
    expect(error.message).toContain('CloudWatchAgentServerPolicy; add it to iam.Policies');
  });
});

describe('GetAccountAuthorizationDetails', () => {
  test('roles with their policies, boundaries and profiles; customer-managed policies with their documents', async () => {
    const { iam } = simulate(iamWorld);
    const out = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'] }),
    );
    expect(out.IsTruncated).toBe(false);
    expect(out.RoleDetailList?.map((r) => r.RoleName)).toEqual([
      'app-role',
      'custom-role',
      'inline-only',
      'bounded',
      'mystery',
      'many',
    ]);
    const app = out.RoleDetailList?.[0];
    expect(app?.AttachedManagedPolicies).toEqual([
      { PolicyArn: CORE, PolicyName: 'AmazonSSMManagedInstanceCore' },
    ]);
    expect(decode(app?.RolePolicyList?.[0]?.PolicyDocument).Statement[0].Effect).toBe('Deny');
    expect(decode(app?.AssumeRolePolicyDocument)).toEqual(trustEc2);
    expect(app?.InstanceProfileList?.map((p) => p.InstanceProfileName)).toEqual(['app']);
    expect(out.RoleDetailList?.[3]?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(CUSTOM);
    // LocalManagedPolicy: customer-managed only, with the default version's document.
    expect(out.Policies?.map((p) => p.Arn)).toEqual([CUSTOM]);
    const version = out.Policies?.[0]?.PolicyVersionList?.[0];
    expect(version?.IsDefaultVersion).toBe(true);
    expect(decode(version?.Document).Statement[0].Action).toContain('SSMMESSAGES:*');
    expect(out.Policies?.[0]).toMatchObject({ AttachmentCount: 1, PermissionsBoundaryUsageCount: 1 });
  });

  test('the filter chooses the entity types; AWS-managed policies are those in use', async () => {
    const { iam } = simulate(iamWorld);
    const policies = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }),
    );
    expect(policies.RoleDetailList).toEqual([]);
    expect(policies.Policies?.map((p) => p.PolicyName).sort()).toEqual([
      'AdministratorAccess',
      'AmazonSSMManagedInstanceCore',
    ]);
    const error = await rejection(
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Bucket' as never] })),
    );
    expect(error.name).toBe('ValidationError');
  });

  test('roles and policies page together with Marker and IsTruncated', async () => {
    const { iam } = simulate(iamWorld);
    const first = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 4 }),
    );
    expect(first.RoleDetailList).toHaveLength(4);
    expect(first.IsTruncated).toBe(true);
    const names: string[] = [];
    const policies: string[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client: iam, pageSize: 4 },
      { Filter: ['Role', 'LocalManagedPolicy'] },
    )) {
      names.push(...(page.RoleDetailList ?? []).map((r) => r.RoleName ?? ''));
      policies.push(...(page.Policies ?? []).map((p) => p.Arn ?? ''));
    }
    expect(names).toHaveLength(6);
    expect(policies).toEqual([CUSTOM]);
  });

  test('a caller not allowed it is denied as IAM denies it (the request is on resource *)', async () => {
    const account = new SimulatedAccount(iamWorld);
    const denied = account.attach(new IAMClient(account.clientConfig()), {
      label: 'reader',
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/session`,
      policies: [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:ListInstanceProfiles'], Resource: '*' }],
        },
      ],
    });
    expect((await denied.send(new ListInstanceProfilesCommand({}))).InstanceProfiles).toHaveLength(2);
    const error = await rejection(
      denied.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] })),
    );
    expect(error.name).toBe('AccessDenied');
    // A request on `*` names no resource in the message, as IAM words it.
    expect(error.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/session is not authorized to perform: iam:GetAccountAuthorizationDetails because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
    );
  });
});
