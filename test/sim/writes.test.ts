import {
  AssociateIamInstanceProfileCommand,
  CreateTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DescribeInstanceInformationCommand,
  GetParameterCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
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

describe('CreateTags (the marker a change leaves on an instance)', () => {
  const tagsOf = (sim: ReturnType<typeof simulate>, id: string) =>
    sim.account.snapshot().ec2.Instances.find((i) => i.InstanceId === id)?.Tags;

  test('adds a tag, overwrites one of the same key, and records each change', async () => {
    const sim = simulate(scenario());
    const tag = (Value: string) =>
      sim.ec2.send(
        new CreateTagsCommand({ Resources: ['i-bare'], Tags: [{ Key: 'ssm-doctor:changed', Value }] }),
      );
    await tag('attach-instance-profile 2026-11-26T06:00:00.000Z');
    await tag('enforce-imdsv2 2026-11-26T07:00:00.000Z');
    expect(tagsOf(sim, 'i-bare')?.filter((t) => t.Key === 'ssm-doctor:changed')).toEqual([
      { Key: 'ssm-doctor:changed', Value: 'enforce-imdsv2 2026-11-26T07:00:00.000Z' },
    ]);
    expect(sim.account.changes.map((c) => [c.action, c.target])).toEqual([
      ['ec2:CreateTags', 'i-bare'],
      ['ec2:CreateTags', 'i-bare'],
    ]);
    const described = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-bare'] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.Tags).toContainEqual({
      Key: 'ssm-doctor:changed',
      Value: 'enforce-imdsv2 2026-11-26T07:00:00.000Z',
    });
  });

  test.each([
    [{ Resources: ['i-ghost'], Tags: [{ Key: 'k', Value: 'v' }] }, 'InvalidInstanceID.NotFound'],
    [{ Resources: ['i-bare'], Tags: [{ Key: 'aws:owner', Value: 'v' }] }, 'InvalidParameterValue'],
    [{ Resources: ['i-bare'], Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }, 'InvalidParameterValue'],
    [{ Resources: ['i-bare'], Tags: [] }, 'MissingParameter'],
  ])('%j fails with %s and changes nothing', async (input, code) => {
    const sim = simulate(scenario());
    const error = await rejection(sim.ec2.send(new CreateTagsCommand(input)));
    expect(error.name).toBe(code);
    expect(sim.account.changes).toEqual([]);
  });
});

describe('TagRole (the marker a role change leaves)', () => {
  test('adds or overwrites the tag (keys differing only in case are one key) and records it', async () => {
    const sim = simulate(scenario());
    await sim.iam.send(
      new TagRoleCommand({ RoleName: 'weak-role', Tags: [{ Key: 'ssm-doctor:changed', Value: 'a 1' }] }),
    );
    await sim.iam.send(
      new TagRoleCommand({ RoleName: 'weak-role', Tags: [{ Key: 'SSM-Doctor:Changed', Value: 'b 2' }] }),
    );
    const role = await sim.iam.send(new GetRoleCommand({ RoleName: 'weak-role' }));
    expect(role.Role?.Tags).toEqual([{ Key: 'ssm-doctor:changed', Value: 'b 2' }]);
    expect(sim.account.changes.map((c) => [c.action, c.target])).toEqual([
      ['iam:TagRole', 'weak-role'],
      ['iam:TagRole', 'weak-role'],
    ]);
  });

  test.each([
    [{ RoleName: 'ghost', Tags: [{ Key: 'k', Value: 'v' }] }, 'NoSuchEntityException'],
    [{ RoleName: 'weak-role', Tags: [{ Key: 'aws:k', Value: 'v' }] }, 'InvalidInputException'],
    [{ RoleName: 'weak-role', Tags: [{ Key: 'k', Value: 'a;b' }] }, 'InvalidInputException'],
  ])('%j fails with %s', async (input, name) => {
    const sim = simulate(scenario());
    const error = await rejection(sim.iam.send(new TagRoleCommand(input)));
    expect(error.name).toBe(name);
    expect(sim.account.changes).toEqual([]);
  });
});

describe('DescribeExecution (executions registered with the account)', () => {
  const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:ssm-doctor-workflow`;
  const RUN = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:ssm-doctor-workflow:run-1`;
  const OTHER = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:other:run-1`;

  function withExecutions(policy?: object) {
    const account = new SimulatedAccount(scenario());
    account.registerExecution({ executionArn: RUN, stateMachineArn: MACHINE, name: 'run-1' });
    account.registerExecution({
      executionArn: OTHER,
      stateMachineArn: MACHINE.replace('ssm-doctor-workflow', 'other'),
      name: 'run-1',
    });
    const caller = policy
      ? {
          label: 'remediate',
          principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
          policies: [policy as never],
        }
      : undefined;
    const sfn = account.attach(new SFNClient({ ...account.clientConfig(), maxAttempts: 1 }), caller);
    return {
      account,
      describe: (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn })),
    };
  }

  test('answers RUNNING while the execution runs, then how it ended', async () => {
    const { account, describe } = withExecutions();
    expect(await describe(RUN)).toMatchObject({ status: 'RUNNING', stateMachineArn: MACHINE, name: 'run-1' });
    account.endExecution(RUN, 'SUCCEEDED');
    const ended = await describe(RUN);
    expect(ended).toMatchObject({ status: 'SUCCEEDED' });
    expect(ended.stopDate).toBeInstanceOf(Date);
  });

  test('an unknown or malformed execution fails as Step Functions does', async () => {
    const { describe } = withExecutions();
    expect((await rejection(describe(RUN.replace('run-1', 'run-2')))).name).toBe('ExecutionDoesNotExist');
    expect((await rejection(describe('not-an-arn'))).name).toBe('InvalidArn');
  });

  test('is authorized against the execution ARN', async () => {
    const { describe } = withExecutions({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'states:DescribeExecution',
          Resource: `arn:aws:states:eu-west-1:${ACCOUNT}:execution:ssm-doctor-workflow:*`,
        },
      ],
    });
    expect(await describe(RUN)).toMatchObject({ status: 'RUNNING' });
    const denied = await rejection(describe(OTHER));
    expect([denied.name, denied.$metadata]).toMatchObject(['AccessDeniedException', { httpStatusCode: 403 }]);
  });
});
