/**
 * Role pictures read through the real IAM client from the simulated account: registration is
 * authorised against the instance, so a role that scopes it to instances must not be reported as
 * lacking it; and a recorded world carries the documents of permission boundaries.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { PROFILE_ROLE_REQUIREMENT } from '../../lambdas/aws/collect.ts';
import { IamReader } from '../../lambdas/aws/iam.ts';
import { recordWorld } from '../../lambdas/aws/record.ts';
import { parseWorld, SimulatedAccount } from '../../lambdas/sim/index.ts';

const PROFILE = 'arn:aws:iam::111122223333:instance-profile/scoped';
const INSTANCE = 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0000000000000000a';
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function account() {
  return new SimulatedAccount(
    parseWorld({
      format: 'ssm-doctor/world@1',
      accountId: '111122223333',
      region: 'eu-west-1',
      ec2: {
        Instances: [
          {
            InstanceId: 'i-0000000000000000a',
            State: { Name: 'running' },
            LaunchTime: '2026-11-01T00:00:00Z',
            IamInstanceProfile: { Arn: PROFILE, Id: 'AIPA00000000000000001' },
          },
        ],
      },
      iam: {
        InstanceProfiles: [
          {
            InstanceProfileName: 'scoped',
            Arn: PROFILE,
            InstanceProfileId: 'AIPA00000000000000001',
            Path: '/',
            Roles: [{ RoleName: 'scoped-role' }],
          },
        ],
        Roles: [
          {
            RoleName: 'scoped-role',
            Arn: 'arn:aws:iam::111122223333:role/scoped-role',
            RoleId: 'AROA00000000000000001',
            Path: '/',
            AssumeRolePolicyDocument: TRUST,
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/boundary',
            },
            RolePolicies: [
              {
                PolicyName: 'ssm-scoped',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 'ssm:UpdateInstanceInformation',
                      Resource: 'arn:aws:ec2:*:*:instance/*',
                    },
                    { Effect: 'Allow', Action: ['ssmmessages:*', 'ec2messages:GetMessages'], Resource: '*' },
                  ],
                },
              },
            ],
          },
        ],
        Policies: [
          {
            Arn: 'arn:aws:iam::111122223333:policy/boundary',
            PolicyName: 'boundary',
            Document: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' },
              ],
            },
          },
        ],
      },
    }),
  );
}

describe('IamReader', () => {
  it('asks about an instance when registration is scoped to instances', async () => {
    const sim = account();
    const reader = new IamReader(
      createClients({ region: 'eu-west-1', simulated: sim }).iam,
      PROFILE_ROLE_REQUIREMENT,
    );

    const pictures = await reader.profiles([PROFILE], () => INSTANCE);

    const profile = pictures.get(PROFILE);
    const role = profile?.ok && profile.value.role?.ok ? profile.value.role.value : undefined;
    expect(role?.simulated).toEqual({
      ok: true,
      value: expect.objectContaining({
        'ssm:UpdateInstanceInformation': 'allowed',
        'ssmmessages:OpenDataChannel': 'allowed',
      }),
    });
    expect(sim.callCounts()['iam:SimulatePrincipalPolicy']).toBe(2);
  });

  it('asks once when no instance is known, and then registration is not proven', async () => {
    const sim = account();
    const reader = new IamReader(
      createClients({ region: 'eu-west-1', simulated: sim }).iam,
      PROFILE_ROLE_REQUIREMENT,
    );

    const profile = (await reader.profiles([PROFILE])).get(PROFILE);

    const role = profile?.ok && profile.value.role?.ok ? profile.value.role.value : undefined;
    expect(role?.simulated?.ok && role.simulated.value['ssm:UpdateInstanceInformation']).toBe('implicitDeny');
    expect(sim.callCounts()['iam:SimulatePrincipalPolicy']).toBe(1);
  });
});

describe('record', () => {
  it('keeps the documents of permission boundaries, so the recorded world loads', async () => {
    const sim = account();
    const world = await recordWorld(
      createClients({ region: 'eu-west-1', simulated: sim }),
      { accountId: '111122223333', partition: 'aws' },
      sim.now(),
    );

    expect(world.iam.Policies.map((p) => p.Arn)).toContain('arn:aws:iam::111122223333:policy/boundary');
    expect(() => parseWorld(JSON.parse(JSON.stringify(world)))).not.toThrow();
  });
});
