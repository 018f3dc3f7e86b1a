import { describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/main.ts';
import type { PolicyDocument, PolicyStatement } from '../../lambdas/engine/facts.ts';
import { fixStatements } from '../../lambdas/engine/permissions.ts';
import { corePolicyArn } from '../../lambdas/engine/remediation/fixes.ts';
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

    expect(denies.map((d) => d.Action)).toEqual([
      ['ec2:AssociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions'],
      ['iam:AttachRolePolicy'],
    ]);
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
