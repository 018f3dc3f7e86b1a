import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadWorld, parseWorld, WorldError } from '../../lambdas/sim/world.ts';
import { ACCOUNT, instance, REGION, trustEc2 } from './helpers.ts';

const header = { format: 'ssm-doctor/world@1', accountId: ACCOUNT, region: REGION };

function problem(json: unknown): WorldError {
  try {
    parseWorld(json, 'world.json');
  } catch (error) {
    expect(error).toBeInstanceOf(WorldError);
    return error as WorldError;
  }
  throw new Error('the world was accepted');
}

describe('parseWorld', () => {
  test('a minimal world: every list missing means empty', () => {
    const w = parseWorld(header);
    expect(w.ec2.Instances).toEqual([]);
    expect(w.ec2.ConsoleOutput).toEqual({});
    expect(w.ssm.Parameters).toEqual([]);
    expect(w.iam.Roles).toEqual([]);
    expect(w.cloudwatch.MetadataNoToken).toEqual({});
    expect(w.simulation.faults).toEqual([]);
    expect(w.now).toBeUndefined();
  });

  test('names the file, the JSON path of the first problem, what was expected and what was found', () => {
    const instances = [
      instance('i-0'),
      instance('i-1'),
      instance('i-2'),
      instance('i-3', { State: { Name: 'runing' } }),
    ];
    const error = problem({ ...header, ec2: { Instances: instances } });
    expect(error.message).toBe(
      'world.json: ec2.Instances[3].State.Name: expected one of pending|running|shutting-down|terminated|stopping|stopped, got "runing"',
    );
    expect(error.path).toBe('ec2.Instances[3].State.Name');
    expect(error.source).toBe('world.json');
  });

  test.each([
    [
      { ...header, format: 'ssm-doctor/world@2' },
      'format: expected "ssm-doctor/world@1", got "ssm-doctor/world@2"',
    ],
    [{ ...header, accountId: '1234' }, 'accountId: expected a 12-digit account id, got "1234"'],
    [{ format: header.format, region: REGION }, 'accountId: expected a 12-digit account id, got nothing'],
    [{ ...header, region: 'Ireland' }, 'region: expected a region such as eu-west-1, got "Ireland"'],
    [
      { ...header, now: 'yesterday' },
      'now: expected an ISO 8601 date-time such as 2026-11-26T06:00:00Z, got "yesterday"',
    ],
    [
      { ...header, ec2: { Instances: [instance('x-1')] } },
      'ec2.Instances[0].InstanceId: expected an instance id (starting with "i-"), got "x-1"',
    ],
    [
      { ...header, ec2: { Instances: [instance('i-1', { LaunchTime: '26/11/2026' })] } },
      'ec2.Instances[0].LaunchTime: expected an ISO 8601 date-time such as 2026-11-26T06:00:00Z, got "26/11/2026"',
    ],
    [
      { ...header, ec2: { Subnets: [{ SubnetId: 'subnet-1', VpcId: 7 }] } },
      'ec2.Subnets[0].VpcId: expected a VPC id, got 7',
    ],
    [
      { ...header, ec2: { ConsoleOutput: { web: 'boot' } } },
      'ec2.ConsoleOutput.web: key "web": expected an instance id (starting with "i-")',
    ],
    [
      { ...header, cloudwatch: { MetadataNoToken: { 'i-1': -2 } } },
      'cloudwatch.MetadataNoToken["i-1"]: expected a count (number >= 0), got -2',
    ],
    [
      { ...header, simulation: { faults: [{ operation: 'DescribeVpcs', code: 'Throttling', times: 0 }] } },
      'simulation.faults[0].times: expected a whole number of calls >= 1, got 0',
    ],
  ])('rejects %#', (json, message) => {
    expect(problem(json).message).toBe(`world.json: ${message}`);
  });

  test('an unknown top-level key is an error, so a typo cannot silently empty a world', () => {
    expect(problem({ ...header, ec2s: {} }).message).toBe(
      'world.json: unknown key "ec2s" (not part of ssm-doctor/world@1; check the spelling)',
    );
  });

  test('an unknown key directly in a section is an error', () => {
    const error = problem({ ...header, ec2: { Instancess: [instance('i-1')] } });
    expect(error.message).toContain('world.json: ec2: unknown key "Instancess"');
    expect(problem({ ...header, simulation: { onlineAfterFixes: [] } }).path).toBe('simulation');
  });

  test('unknown keys inside AWS objects are kept', () => {
    const w = parseWorld({
      ...header,
      ec2: { Instances: [instance('i-1', { Hypervisor: 'nitro', Custom: { a: 1 } })] },
    });
    expect(w.ec2.Instances[0]).toMatchObject({ Hypervisor: 'nitro', Custom: { a: 1 } });
  });

  test('policy documents may be objects or the URL-encoded string IAM returns; broken ones are rejected', () => {
    const encoded = encodeURIComponent(JSON.stringify(trustEc2));
    const ok = parseWorld({
      ...header,
      iam: {
        Roles: [
          { RoleName: 'a', AssumeRolePolicyDocument: trustEc2 },
          { RoleName: 'b', AssumeRolePolicyDocument: encoded },
        ],
      },
    });
    expect(ok.iam.Roles[1].AssumeRolePolicyDocument).toBe(encoded);
    const error = problem({
      ...header,
      iam: {
        Roles: [
          { RoleName: 'a', AssumeRolePolicyDocument: { Statement: [{ Effect: 'Maybe', Action: 'x' }] } },
        ],
      },
    });
    expect(error.message).toBe(
      'world.json: iam.Roles[0].AssumeRolePolicyDocument: expected a policy document (a JSON object with Statement, or the URL-encoded JSON string IAM returns), got Statement[0].Effect is not Allow or Deny',
    );
  });

  test('a customer-managed policy attached to a role must be listed in iam.Policies', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
    const role = {
      RoleName: 'r',
      AssumeRolePolicyDocument: trustEc2,
      AttachedPolicies: [{ PolicyArn: arn }],
    };
    expect(problem({ ...header, iam: { Roles: [role] } }).message).toBe(
      `world.json: iam.Roles[0].AttachedPolicies[0].PolicyArn: expected an AWS-managed policy or one listed in iam.Policies, got "${arn}"`,
    );
    const listed = { Arn: arn, PolicyName: 'Missing', Document: trustEc2 };
    expect(() => parseWorld({ ...header, iam: { Roles: [role], Policies: [listed] } })).not.toThrow();
  });

  test('a customer-managed permissions boundary must be listed in iam.Policies too', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Boundary`;
    const role = {
      RoleName: 'r',
      AssumeRolePolicyDocument: trustEc2,
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn },
    };
    expect(problem({ ...header, iam: { Roles: [role] } }).message).toBe(
      `world.json: iam.Roles[0].PermissionsBoundary.PermissionsBoundaryArn: expected an AWS-managed policy or one listed in iam.Policies, got "${arn}"`,
    );
    const listed = { Arn: arn, PolicyName: 'Boundary', Document: trustEc2 };
    expect(() => parseWorld({ ...header, iam: { Roles: [role], Policies: [listed] } })).not.toThrow();
  });
});

describe('loadWorld', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-world-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads and validates a file', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify({ ...header, ec2: { Instances: [instance('i-1')] } }));
    expect((await loadWorld(path)).ec2.Instances.map((i) => i.InstanceId)).toEqual(['i-1']);
  });

  test('bad JSON is reported with its line and column', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{\n  "format": "ssm-doctor/world@1",\n  "accountId": }\n');
    await expect(loadWorld(path)).rejects.toThrow(
      `${path}: invalid JSON at line 3, column 16: unexpected '}'`,
    );
    const trailing = join(dir, 'trailing.json');
    await writeFile(trailing, '{\n  "format": "x",\n}');
    await expect(loadWorld(trailing)).rejects.toThrow(/invalid JSON at line 3, column 1/);
  });

  test('a validation problem names the file path', async () => {
    const path = join(dir, 'invalid.json');
    await writeFile(path, JSON.stringify({ ...header, accountId: 'abc' }));
    await expect(loadWorld(path)).rejects.toThrow(
      `${path}: accountId: expected a 12-digit account id, got "abc"`,
    );
  });

  test('a missing file is a WorldError, not a stack trace', async () => {
    const error = await loadWorld(join(dir, 'nope.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorldError);
    expect((error as Error).message).toMatch(/nope\.json: cannot read the world file \(ENOENT\)/);
  });
});
