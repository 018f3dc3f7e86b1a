import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { TagRoleCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { runCli } from '../../lambdas/cli/main.ts';
import type { PolicyDocument, PolicyStatement } from '../../lambdas/engine/facts.ts';
import { fixStatements } from '../../lambdas/engine/permissions.ts';
import { corePolicyArn } from '../../lambdas/engine/remediation/fixes.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { applyOn, planOn, settingsFor, simulate } from './harness.ts';
import { buildWorld } from './worlds.ts';

const SCOPE = {
  partition: 'aws',
  accountId: '111122223333',
  region: 'eu-west-1',
  remediationRoleArn: 'arn:aws:iam::111122223333:role/ssm-doctor-fix-role',
  remediationProfileArn: 'arn:aws:iam::111122223333:instance-profile/ssm-doctor-fix',
};

const actionsOf = (s: PolicyStatement) => [s.Action ?? []].flat();
const withAction = (statements: PolicyStatement[], action: string) =>
  statements.filter((s) => actionsOf(s).includes(action));

async function printedPolicy(...flags: string[]): Promise<PolicyDocument> {
  let out = '';
  const code = await runCli(['permissions', '--fix', ...flags], {
    stdout: (t) => {
      out += t;
    },
    stderr: () => {},
    color: false,
    env: {},
  });
  expect(code).toBe(0);
  return JSON.parse(out) as PolicyDocument;
}

describe('remediation permissions', () => {
  it('pins AttachRolePolicy to the core policy, in the partition asked for', async () => {
    const statements = [(await printedPolicy('--partition', 'aws-cn')).Statement].flat();

    const [attach, ...others] = withAction(statements, 'iam:AttachRolePolicy').filter(
      (s) => s.Effect === 'Allow',
    );

    expect(others).toEqual([]);
    expect(attach).toMatchObject({
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy'],
      Condition: { ArnEquals: { 'iam:PolicyARN': corePolicyArn('aws-cn') } },
    });
    expect(corePolicyArn('aws-cn')).toBe('arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore');
  });

  it('passes only the remediation role, only to EC2', () => {
    expect(withAction(fixStatements(SCOPE), 'iam:PassRole')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Resource: SCOPE.remediationRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    ]);
  });

  it('associates only the remediation profile, and only where there is none', () => {
    const [associate] = withAction(fixStatements(SCOPE), 'ec2:AssociateIamInstanceProfile').filter(
      (s) => s.Effect === 'Allow',
    );
    expect(associate?.Condition).toEqual({
      Null: { 'ec2:InstanceProfile': 'true' },
      ArnLike: { 'ec2:NewInstanceProfile': SCOPE.remediationProfileArn },
    });
  });

  it('allows the metadata change only to endpoint enabled, tokens required', () => {
    const [modify] = withAction(fixStatements(SCOPE), 'ec2:ModifyInstanceMetadataOptions').filter(
      (s) => s.Effect === 'Allow',
    );
    expect(modify?.Condition).toMatchObject({
      StringEquals: { 'ec2:Attribute/HttpTokens': 'required', 'ec2:Attribute/HttpEndpoint': 'enabled' },
    });
  });

  it('explicitly denies the EC2 writes on instances tagged ssm-doctor:remediate=false', async () => {
    const statements = [(await printedPolicy()).Statement].flat();

    const denies = statements.filter((s) => s.Effect === 'Deny');

    // The marker tag is a change too: denied wherever the change is.
    expect(denies.map((d) => d.Action)).toEqual([
      ['ec2:AssociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions', 'ec2:CreateTags'],
      ['iam:AttachRolePolicy', 'iam:TagRole'],
    ]);
  });

  describe('the marker tag: only ssm-doctor:changed, only with a value naming the fix', () => {
    const A = 'i-0000000000000000a';
    const OUT = 'i-0000000000000000b';
    async function asCaller() {
      const policy = await printedPolicy();
      const world = buildWorld({
        instances: [
          { id: A, profile: 'app' },
          { id: OUT, profile: 'app', tags: { 'ssm-doctor:remediate': 'false' } },
        ],
        profiles: { app: 'app-role' },
      });
      const account = new SimulatedAccount({
        ...world,
        simulation: { ...world.simulation, callerPolicy: policy },
      });
      const clients = createClients({
        region: account.region,
        simulated: account,
        caller: account.cliCaller(),
        maxAttempts: 1,
      });
      const tagInstance = (id: string, ...tags: [string, string][]) =>
        clients.ec2
          .send(
            new CreateTagsCommand({ Resources: [id], Tags: tags.map(([Key, Value]) => ({ Key, Value })) }),
          )
          .then(
            () => 'allowed',
            (e: Error) => e.name,
          );
      const tagRole = (...tags: [string, string][]) =>
        clients.iam
          .send(
            new TagRoleCommand({ RoleName: 'app-role', Tags: tags.map(([Key, Value]) => ({ Key, Value })) }),
          )
          .then(
            () => 'allowed',
            (e: Error) => e.name,
          );
      return { tagInstance, tagRole };
    }
    const NOW = '2026-11-26T06:00:00.000Z';

    it('lets each fix tag what it changes with its own marker', async () => {
      const { tagInstance, tagRole } = await asCaller();
      expect(await tagInstance(A, ['ssm-doctor:changed', `enforce-imdsv2 ${NOW}`])).toBe('allowed');
      expect(await tagInstance(A, ['ssm-doctor:changed', `attach-instance-profile ${NOW}`])).toBe('allowed');
      expect(await tagRole(['ssm-doctor:changed', `attach-core-policy ${NOW}`])).toBe('allowed');
    });

    it('refuses any other key, a second key in the same call, another value, or an opted-out instance', async () => {
      const { tagInstance, tagRole } = await asCaller();
      expect(await tagInstance(A, ['Owner', 'me'])).toBe('UnauthorizedOperation');
      expect(await tagInstance(A, ['ssm-doctor:remediate', 'true'])).toBe('UnauthorizedOperation');
      expect(
        await tagInstance(A, ['ssm-doctor:changed', `enforce-imdsv2 ${NOW}`], ['ssm-doctor:ignore', 'true']),
      ).toBe('UnauthorizedOperation');
      expect(await tagInstance(A, ['ssm-doctor:changed', 'anything'])).toBe('UnauthorizedOperation');
      // A role's marker value on an instance: each resource type only with the fixes that change it.
      expect(await tagInstance(A, ['ssm-doctor:changed', `attach-core-policy ${NOW}`])).toBe(
        'UnauthorizedOperation',
      );
      expect(await tagInstance(OUT, ['ssm-doctor:changed', `enforce-imdsv2 ${NOW}`])).toBe(
        'UnauthorizedOperation',
      );
      expect(await tagRole(['ssm-doctor:remediate', 'true'])).toBe('AccessDenied');
      expect(await tagRole(['ssm-doctor:changed', `enforce-imdsv2 ${NOW}`])).toBe('AccessDenied');
    });
  });

  it('declares every call the applier makes', async () => {
    const sim = simulate(
      buildWorld({
        instances: [
          { id: 'i-0000000000000000a' },
          { id: 'i-0000000000000000b', profile: 'app' },
          { id: 'i-0000000000000000c', profile: 'app', endpoint: 'disabled' },
        ],
        profiles: { app: 'app-role' },
      }),
    );
    const report = await planOn(sim, settingsFor());
    sim.account.resetCounts();

    await applyOn(sim, report);

    const allowed = new Set(
      fixStatements(SCOPE)
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf),
    );
    const called = Object.keys(sim.account.callCounts());
    expect(called).toContain('iam:AttachRolePolicy');
    expect(called.filter((action) => !allowed.has(action))).toEqual([]);
  });
});
