import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DescribeInstanceInformationCommand,
  GetParameterCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { parseWorld } from '../../lambdas/sim/world.ts';
import { ACCOUNT, instance, rejection, simulate, trustEc2, world } from './helpers.ts';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const NOW = '2026-11-26T06:00:00Z';

const scenario = () =>
  world({
    now: NOW,
    ec2: {
      Instances: [
        instance('i-bare', { PrivateIpAddress: '10.0.0.5', Platform: 'windows' }),
        instance('i-profiled', {
          IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/weak` },
        }),
        instance('i-stopping', { State: { Name: 'stopping' } }),
        instance('i-imds', {
          MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled', State: 'applied' },
        }),
      ],
    },
    ssm: {
      InstanceInformationList: [
        { InstanceId: 'i-profiled', PingStatus: 'ConnectionLost', AgentVersion: '3.1.0.0' },
      ],
    },
    iam: {
      InstanceProfiles: [
        {
          InstanceProfileName: 'ssm-doctor-core',
          InstanceProfileId: 'AIPACORE',
          Roles: [{ RoleName: 'core' }],
        },
        { InstanceProfileName: 'weak', Roles: [{ RoleName: 'weak-role' }] },
      ],
      Roles: [
        { RoleName: 'core', AssumeRolePolicyDocument: trustEc2, AttachedPolicies: [{ PolicyArn: CORE }] },
        { RoleName: 'weak-role', AssumeRolePolicyDocument: trustEc2, AttachedPolicies: [] },
      ],
      Policies: [
        {
          Arn: S3_READ,
          PolicyName: 'AmazonS3ReadOnlyAccess',
          Document: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] },
        },
      ],
    },
    simulation: { onlineAfterFix: ['i-bare', 'i-profiled', 'i-imds'] },
  });

/** The instance's registration; undefined while it is not a managed node (SSM: InvalidInstanceId). */
const pingOf = async (sim: ReturnType<typeof simulate>, id: string) => {
  try {
    const out = await sim.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
    );
    return out.InstanceInformationList?.[0];
  } catch (error) {
    if ((error as Error).name === 'InvalidInstanceId') return undefined;
    throw error;
  }
};

describe('AssociateIamInstanceProfile', () => {
  test('associates, answers associating, records the change, and the instance comes online', async () => {
    const sim = simulate(scenario());
    expect(await pingOf(sim, 'i-bare')).toBeUndefined();
    const out = await sim.ec2.send(
      new AssociateIamInstanceProfileCommand({
        InstanceId: 'i-bare',
        IamInstanceProfile: { Name: 'ssm-doctor-core' },
      }),
    );
    const expectedProfile = {
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/ssm-doctor-core`,
      Id: 'AIPACORE',
    };
    expect(out.IamInstanceProfileAssociation).toEqual({
      AssociationId: expect.stringMatching(/^iip-assoc-/),
      InstanceId: 'i-bare',
      IamInstanceProfile: expectedProfile,
      State: 'associating',
    });
    expect(out.$metadata.requestId).toBeDefined();
    const described = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-bare'] }));
    expect(described.Reservations?.[0].Instances?.[0].IamInstanceProfile).toEqual(expectedProfile);
    const associations = await sim.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({}));
    expect(associations.IamInstanceProfileAssociations?.find((a) => a.InstanceId === 'i-bare')).toMatchObject(
      {
        AssociationId: out.IamInstanceProfileAssociation?.AssociationId,
        State: 'associated',
      },
    );
    expect(sim.account.changes).toEqual([
      {
        at: '2026-11-26T06:00:00.000Z',
        action: 'ec2:AssociateIamInstanceProfile',
        target: 'i-bare',
        before: { IamInstanceProfile: null },
        after: { IamInstanceProfile: expectedProfile },
        requestId: out.$metadata.requestId,
      },
    ]);
    expect(await pingOf(sim, 'i-bare')).toMatchObject({
      InstanceId: 'i-bare',
      PingStatus: 'Online',
      LastPingDateTime: new Date(NOW),
      PlatformType: 'Windows',
      IPAddress: '10.0.0.5',
    });
  });

  test.each([
    [
      { InstanceId: 'i-missing', IamInstanceProfile: { Name: 'ssm-doctor-core' } },
      'InvalidInstanceID.NotFound',
    ],
    [{ InstanceId: 'i-stopping', IamInstanceProfile: { Name: 'ssm-doctor-core' } }, 'IncorrectState'],
    [{ InstanceId: 'i-profiled', IamInstanceProfile: { Name: 'ssm-doctor-core' } }, 'IncorrectState'],
    [{ InstanceId: 'i-bare', IamInstanceProfile: { Name: 'no-such-profile' } }, 'InvalidParameterValue'],
    [
      { InstanceId: 'i-bare', IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/nope` } },
      'InvalidParameterValue',
    ],
  ])('%j fails with %s and changes nothing', async (input, code) => {
    const sim = simulate(scenario());
    const before = sim.account.snapshot();
    expect((await rejection(sim.ec2.send(new AssociateIamInstanceProfileCommand(input)))).name).toBe(code);
    expect(sim.account.snapshot()).toEqual(before);
    expect(sim.account.changes).toEqual([]);
  });
});

describe('ModifyInstanceMetadataOptions', () => {
  test('answers pending; the next read shows the options applied', async () => {
    const sim = simulate(scenario());
    const out = await sim.ec2.send(
      new ModifyInstanceMetadataOptionsCommand({
        InstanceId: 'i-imds',
        HttpEndpoint: 'enabled',
        HttpTokens: 'required',
      }),
    );
    expect(out.InstanceMetadataOptions).toMatchObject({
      State: 'pending',
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
    });
    const read = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-imds'] }));
    expect(read.Reservations?.[0].Instances?.[0].MetadataOptions).toMatchObject({
      State: 'applied',
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
    });
    expect(sim.account.changes[0]).toMatchObject({
      action: 'ec2:ModifyInstanceMetadataOptions',
      target: 'i-imds',
      before: { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled' } },
    });
    expect((await pingOf(sim, 'i-imds'))?.PingStatus).toBe('Online');
  });

  test('DryRun, unknown instances and invalid values fail without writing', async () => {
    const sim = simulate(scenario());
    const dry = await rejection(
      sim.ec2.send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: 'i-imds',
          HttpTokens: 'required',
          DryRun: true,
        }),
      ),
    );
    expect(dry.name).toBe('DryRunOperation');
    expect(dry.$metadata).toMatchObject({ httpStatusCode: 412 });
    const missing = await rejection(
      sim.ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-zz', HttpTokens: 'required' })),
    );
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    const invalid = await rejection(
      sim.ec2.send(
        new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-imds', HttpPutResponseHopLimit: 100 }),
      ),
    );
    expect(invalid.name).toBe('InvalidParameterValue');
    expect(sim.account.changes).toEqual([]);
  });
});

describe('AttachRolePolicy', () => {
  test('attaching the core policy to the role of an instance profile brings its instances online', async () => {
    const sim = simulate(scenario());
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: 'weak-role', PolicyArn: CORE }));
    const attached = await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'weak-role' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: CORE },
    ]);
    expect(await pingOf(sim, 'i-profiled')).toMatchObject({ PingStatus: 'Online', AgentVersion: '3.1.0.0' });
    expect(sim.account.changes).toMatchObject([
      {
        action: 'iam:AttachRolePolicy',
        target: 'weak-role',
        before: { AttachedPolicies: [] },
        after: { AttachedPolicies: [CORE] },
      },
    ]);
  });

  test('is idempotent: attaching again changes nothing', async () => {
    const sim = simulate(scenario());
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: 'core', PolicyArn: CORE }));
    expect(sim.account.changes).toEqual([]);
    expect(sim.account.snapshot().iam.Roles[0].AttachedPolicies).toHaveLength(1);
  });

  test('a policy that does not let the agent register is no fix', async () => {
    const sim = simulate(scenario());
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: 'weak-role', PolicyArn: S3_READ }));
    expect(sim.account.changes).toHaveLength(1);
    expect((await pingOf(sim, 'i-profiled'))?.PingStatus).toBe('ConnectionLost');
  });

  test.each([
    [
      { RoleName: 'ghost', PolicyArn: CORE },
      'NoSuchEntityException',
      'The role with name ghost cannot be found.',
    ],
    [
      { RoleName: 'core', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' },
      'NoSuchEntityException',
      'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
    ],
    [
      { RoleName: 'core', PolicyArn: 'AmazonSSMManagedInstanceCore' },
      'InvalidInputException',
      'ARN AmazonSSMManagedInstanceCore is not valid.',
    ],
  ])('%j fails with %s', async (input, name, message) => {
    const sim = simulate(scenario());
    const error = await rejection(sim.iam.send(new AttachRolePolicyCommand(input)));
    expect([error.name, error.message]).toEqual([name, message]);
  });
});

describe('PutParameter', () => {
  test('creates, refuses to overwrite without Overwrite, then overwrites with a new version', async () => {
    const sim = simulate(scenario());
    const name = '/ssm-doctor/remediation-mode';
    expect(
      (await sim.ssm.send(new PutParameterCommand({ Name: name, Value: 'dry-run', Type: 'String' }))).Version,
    ).toBe(1);
    const exists = await rejection(
      sim.ssm.send(new PutParameterCommand({ Name: name, Value: 'on', Type: 'String' })),
    );
    expect(exists.name).toBe('ParameterAlreadyExists');
    expect(
      (await sim.ssm.send(new PutParameterCommand({ Name: name, Value: 'on', Overwrite: true }))).Version,
    ).toBe(2);
    const read = await sim.ssm.send(new GetParameterCommand({ Name: name }));
    expect(read.Parameter).toMatchObject({
      Name: name,
      Value: 'on',
      Type: 'String',
      Version: 2,
      LastModifiedDate: new Date(NOW),
    });
    expect(sim.account.changes.map((c) => [c.action, c.target, c.before === null])).toEqual([
      ['ssm:PutParameter', name, true],
      ['ssm:PutParameter', name, false],
    ]);
  });
});

test('a snapshot holds every write and is itself a valid world', async () => {
  const sim = simulate(scenario());
  await sim.ec2.send(
    new AssociateIamInstanceProfileCommand({
      InstanceId: 'i-bare',
      IamInstanceProfile: { Name: 'ssm-doctor-core' },
    }),
  );
  await sim.iam.send(new AttachRolePolicyCommand({ RoleName: 'weak-role', PolicyArn: CORE }));
  await sim.ssm.send(new PutParameterCommand({ Name: '/x', Value: 'y', Type: 'String' }));
  const saved = JSON.parse(JSON.stringify(sim.account.snapshot()));
  const reloaded = parseWorld(saved, 'saved');
  expect(reloaded.ec2.Instances[0].IamInstanceProfile?.Arn).toContain('ssm-doctor-core');
  expect(reloaded.iam.Roles[1].AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([CORE]);
  expect(reloaded.ssm.Parameters.map((p) => p.Name)).toEqual(['/x']);
  expect(reloaded.ssm.InstanceInformationList.map((i) => [i.InstanceId, i.PingStatus])).toEqual([
    ['i-profiled', 'Online'],
    ['i-bare', 'Online'],
  ]);
});
