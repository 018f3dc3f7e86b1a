/**
 * Properties of what each stage's role may do, read from the synthesized policies (rendered to
 * plain strings) and stated as literals — never compared with the functions that generated them.
 * That every call a stage makes is granted (and every grant is needed) is proven by running the
 * workflow under these roles: test/workflow/deployed-roles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corePolicyArn } from '../../lambdas/engine/remediation/fixes.ts';
import { OPT_OUT_TAG } from '../../lambdas/engine/tags.ts';
import type { StageName } from '../../lambdas/workflow/manifest.ts';
import { resolveIntrinsics } from '../support/local/render-definition.ts';
import { logicalIdOf, type Synthesized, synthStack, type TemplateJson } from '../support/local/synth.ts';

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

let synth: Synthesized;
let resources: TemplateJson['Resources'];
const ACCOUNT = '123456789012';
const arrayOf = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
// GetAtt renders as `<Id>.<Attr>`, Ref as `<Id>`, pseudo parameters as aws / eu-west-1 / ACCOUNT.
const render = (v: unknown) =>
  resolveIntrinsics(v, { getAtt: (id, a) => `${id}.${a}`, ref: (id) => id, accountId: ACCOUNT }) as {
    Statement: Record<string, unknown>[];
  };
const normalize = (s: Record<string, unknown>): Statement => ({
  ...(s as unknown as Statement),
  Action: arrayOf(s.Action as string | string[]).sort(),
  Resource: arrayOf(s.Resource as string | string[]).sort(),
});

/** Every statement attached to a role, rendered. */
function statementsOfRole(roleId: string): Statement[] {
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === roleId),
    )
    .flatMap((p) => render(p.Properties.PolicyDocument).Statement.map(normalize));
}
const statementsOf = (handler: StageName) =>
  statementsOfRole(logicalIdOf(synth.stack.functions[handler].role));
const awsActions = (statements: Statement[]) =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => s.Action)
    .filter((a) => !/^(dynamodb|logs):/.test(a));
const READ = /^(ec2|ssm|iam|cloudwatch|route53|route53resolver):(Describe|Get|List|Simulate)/;
/** A stage's access to the run's work objects: only under `work/` of the report bucket. */
function workObjects(statements: Statement[]): { actions: string[]; rest: Statement[] } {
  const bucketId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')?.[0];
  const work = statements.filter((s) => s.Sid === 'RunWorkObjects');
  for (const s of work) expect(s.Resource).toEqual([`${bucketId}.Arn/work/*`]);
  return {
    actions: work.flatMap((s) => s.Action),
    rest: statements.filter((s) => s.Sid !== 'RunWorkObjects'),
  };
}

beforeAll(() => {
  synth = synthStack();
  resources = synth.json.Resources;
});
afterAll(() => synth.cleanup());

describe('remediate', () => {
  const remediationRoleArn = () => `${logicalIdOf(synth.stack.remediationProfile.role)}.Arn`;

  it('attaches only AmazonSSMManagedInstanceCore', () => {
    const attach = statementsOf('remediate').filter(
      (s) => s.Effect === 'Allow' && s.Action.includes('iam:AttachRolePolicy'),
    );
    expect(attach).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Condition: { ArnEquals: { 'iam:PolicyARN': corePolicyArn('aws') } },
      }),
    ]);
    expect(attach[0]?.Action).toEqual(['iam:AttachRolePolicy']);
  });

  it('passes only the remediation role, only to EC2, and nothing else in the stack may pass a role', () => {
    const all = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => render(p.Properties.PolicyDocument).Statement.map(normalize) as Statement[]);
    const passRole = all.filter((s) =>
      s.Action.some((a) => a === 'iam:PassRole' || a === 'iam:*' || a === '*'),
    );
    expect(passRole).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [remediationRoleArn()],
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    ]);
  });

  it("explicitly denies changing opted-out instances and roles, and the stack's own roles", () => {
    const denies = statementsOf('remediate').filter((s) => s.Effect === 'Deny');
    const byAction = (action: string) => denies.filter((d) => d.Action.includes(action));
    const [instances] = byAction('ec2:ModifyInstanceMetadataOptions');
    expect(instances?.Action).toEqual([
      'ec2:AssociateIamInstanceProfile',
      'ec2:CreateTags',
      'ec2:ModifyInstanceMetadataOptions',
    ]);
    // Only this stack's region: a fix never reaches another region's instances.
    expect(instances?.Resource).toEqual([`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`]);
    const key = `aws:ResourceTag/${OPT_OUT_TAG}`;
    // Any value but true (IAM matches the key in any case; it cannot trim, so padded trues are listed).
    const optOut = {
      Null: { [key]: 'false' },
      StringNotEqualsIgnoreCase: { [key]: ['true', ' true', 'true ', ' true '] },
    };
    expect(instances?.Condition).toEqual(optOut);
    const roles = byAction('iam:AttachRolePolicy');
    expect(roles.map((d) => d.Condition ?? null)).toContainEqual(optOut);
    const own = roles.find((d) => !d.Condition);
    expect(JSON.stringify(own?.Resource)).toContain(logicalIdOf(synth.stack.remediationProfile.role));
    expect(JSON.stringify(own?.Resource)).toContain('AWS::StackName');
  });

  it('writes nothing but the three fixes and their markers (and its outcomes, as a work object), and asks only after its own executions', () => {
    const { actions, rest } = workObjects(statementsOf('remediate'));
    expect(actions).toEqual(['s3:GetObject', 's3:PutObject']);
    const writes = awsActions(rest).filter((a) => !READ.test(a));
    expect(writes.sort()).toEqual([
      'ec2:AssociateIamInstanceProfile',
      'ec2:CreateTags',
      'ec2:CreateTags',
      'ec2:ModifyInstanceMetadataOptions',
      'iam:AttachRolePolicy',
      'iam:PassRole',
      'iam:TagRole',
      'states:DescribeExecution',
    ]);
  });

  it("describes only this stack's state machine's executions, and no stage but remediate does", () => {
    const describe = statementsOf('remediate').filter((s) => s.Action.some((a) => a.startsWith('states:')));
    expect(describe).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['states:DescribeExecution'],
        Resource: [`arn:aws:states:eu-west-1:${ACCOUNT}:execution:ssm-doctor-workflow:*`],
      }),
    ]);
    expect(describe[0]?.Condition).toBeUndefined();
    const machine = Object.values(resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machine?.Properties.StateMachineName).toBe('ssm-doctor-workflow');
    for (const stage of ['start-run', 'diagnose-batch', 'verify', 'report', 'notify-failure'] as const)
      expect(
        awsActions(statementsOf(stage)).filter((a) => a.startsWith('states:')),
        stage,
      ).toEqual([]);
  });

  it('tags instances and roles only with the ssm-doctor:changed marker, each value naming its fix', () => {
    const tagging = statementsOf('remediate').filter(
      (s) => s.Effect === 'Allow' && s.Action.some((a) => a === 'ec2:CreateTags' || a === 'iam:TagRole'),
    );
    const onlyTheMarker = (fix: string) => ({
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['ssm-doctor:changed'] },
      StringLike: { 'aws:RequestTag/ssm-doctor:changed': `${fix} *` },
    });
    expect(tagging.map((s) => [s.Action, s.Resource, s.Condition])).toEqual([
      [
        ['ec2:CreateTags'],
        [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`],
        onlyTheMarker('attach-instance-profile'),
      ],
      [['iam:TagRole'], [`arn:aws:iam::${ACCOUNT}:role/*`], onlyTheMarker('attach-core-policy')],
      [['ec2:CreateTags'], [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`], onlyTheMarker('enforce-imdsv2')],
    ]);
    // The marker is a change: denied on opted-out instances and roles and on the stack's own roles.
    const denies = statementsOf('remediate').filter((s) => s.Effect === 'Deny');
    expect(denies.filter((d) => d.Action.includes('ec2:CreateTags'))).toHaveLength(1);
    expect(denies.filter((d) => d.Action.includes('iam:TagRole'))).toHaveLength(2);
  });
});

describe('the state machine role', () => {
  it('may be assumed by Step Functions only for this state machine of this account', () => {
    const machine = Object.values(resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const roleArn = machine?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
    const roleId = roleArn?.['Fn::GetAtt'][0] ?? '';
    const trust = render(resources[roleId]?.Properties.AssumeRolePolicyDocument).Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: {
            'aws:SourceArn': `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:ssm-doctor-workflow`,
          },
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
        },
      },
    ]);
  });
});

describe('read-only stages', () => {
  it('diagnose-batch and start-run write nothing but the run work objects under work/', () => {
    for (const [stage, work] of [
      ['diagnose-batch', ['s3:GetObject', 's3:PutObject']],
      ['start-run', ['s3:PutObject']],
    ] as const) {
      const { actions, rest } = workObjects(statementsOf(stage));
      expect(actions, stage).toEqual(work);
      expect(
        awsActions(rest).filter((a) => !READ.test(a)),
        stage,
      ).toEqual([]);
    }
  });

  it('start-run reads its settings by their path, nothing else in Parameter Store', () => {
    const statements = statementsOf('start-run');
    expect(statements.find((s) => s.Action.includes('ssm:GetParametersByPath'))?.Resource).toEqual([
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/ssm-doctor`,
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/ssm-doctor/*`,
    ]);
    expect(statements.find((s) => s.Action.includes('ssm:GetServiceSetting'))?.Resource).toEqual([
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
    ]);
  });

  it('verify only re-reads SSM registrations (and the run work objects)', () => {
    const { actions, rest } = workObjects(statementsOf('verify'));
    expect(actions).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(awsActions(rest)).toEqual(['ssm:DescribeInstanceInformation']);
  });

  it.each([
    ['report', ['ssm:DescribeInstanceInformation']],
    ['notify-failure', []],
  ] as const)(
    '%s may only publish to the topic (and use its key), put events on the default bus, and read %j',
    (handler, reads) => {
      const topicId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::SNS::Topic')?.[0];
      const bucketId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')?.[0];
      const keyId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::KMS::Key')?.[0];
      const { actions, rest } = workObjects(statementsOf(handler));
      // Report reads what the stages before it handed on; Notify failure needs none of it.
      expect(actions).toEqual(handler === 'report' ? ['s3:GetObject'] : []);
      const statements = rest.filter((s) => !s.Action.every((a) => /^(dynamodb|logs):/.test(a)));
      expect(statements).toEqual([
        ...(reads.length ? [expect.objectContaining({ Action: [...reads], Resource: ['*'] })] : []),
        // Only the report function keeps the run's report: new objects under runs/, nothing else.
        ...(handler === 'report'
          ? [expect.objectContaining({ Action: ['s3:PutObject'], Resource: [`${bucketId}.Arn/runs/*`] })]
          : []),
        expect.objectContaining({
          Action: ['events:PutEvents'],
          Resource: [`arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`],
        }),
        expect.objectContaining({ Action: ['sns:Publish'], Resource: [topicId] }),
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: [`${keyId}.Arn`],
        }),
      ]);
    },
  );

  it('notify-failure may touch the lock and the outbox, and only read the change journal', () => {
    const table = statementsOf('notify-failure').filter((s) =>
      s.Action.some((a) => a.startsWith('dynamodb:')),
    );
    expect(table).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['LOCK', 'OUTBOX'] } },
      }),
      expect.objectContaining({
        Action: ['dynamodb:Query'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['JOURNAL#*'] } },
      }),
    ]);
  });
});

describe('every function role', () => {
  it('has no managed policies, no wildcard actions, and table access only to its own table', () => {
    const tableId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')?.[0];
    for (const handler of Object.keys(synth.stack.functions) as StageName[]) {
      const role = resources[logicalIdOf(synth.stack.functions[handler].role)];
      expect(role?.Properties.ManagedPolicyArns, handler).toBeUndefined();
      const statements = statementsOf(handler);
      expect(
        statements.flatMap((s) => s.Action).filter((a) => a.endsWith(':*') || a === '*'),
        handler,
      ).toEqual([]);
      const table = statements.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
      expect([...new Set(table.flatMap((s) => s.Resource))], handler).toEqual([`${tableId}.Arn`]);
    }
  });
});
