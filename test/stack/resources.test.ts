/** The deployed resources and their key properties, read from the synthesized template. */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ACTIONS } from '../../lambdas/engine/checks/credentials/grants.ts';
import type { PolicyDocument } from '../../lambdas/engine/facts.ts';
import { DEFAULT_SETTINGS, SETTING_SPECS } from '../../lambdas/engine/settings.ts';
import { MANAGED_POLICY_DOCUMENTS } from '../../lambdas/sim/managed-policies.ts';
import { evaluate } from '../../lambdas/sim/policy-evaluation.ts';
import { STAGE_NAMES, STAGES, type StageName } from '../../lambdas/workflow/manifest.ts';
import { RUN_METRICS } from '../../lib/constructs/monitoring.ts';
import { parameterId, type SettingKey } from '../../lib/parameters.ts';
import { renderIntrinsic } from '../support/local/render-definition.ts';
import {
  logicalIdOf,
  type ResourceJson,
  type Synthesized,
  synthStack,
  type TemplateJson,
} from '../support/local/synth.ts';

let synth: Synthesized;
let resources: TemplateJson['Resources'];
let parameters: TemplateJson['Parameters'];
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  synth = synthStack();
  resources = synth.json.Resources;
  parameters = synth.json.Parameters;
});
afterAll(() => synth.cleanup());

describe('parameters', () => {
  const keys = Object.keys(SETTING_SPECS) as SettingKey[];

  it.each(keys)('%s takes its default and constraints from SETTING_SPECS', (key) => {
    const parameter = parameters[parameterId(key)];
    const { schema } = SETTING_SPECS[key];
    expect(parameter?.Default).toBe(String(DEFAULT_SETTINGS[key]));
    if (parameter?.Type === 'Number') {
      expect(schema.safeParse(String(parameter.MinValue)).success).toBe(true);
      expect(schema.safeParse(String(parameter.MaxValue)).success).toBe(true);
      expect(schema.safeParse(String(parameter.MinValue - 1)).success).toBe(false);
      expect(schema.safeParse(String(parameter.MaxValue + 1)).success).toBe(false);
    } else {
      expect(parameter?.AllowedValues?.length).toBeGreaterThan(1);
      for (const value of parameter?.AllowedValues ?? []) expect(schema.safeParse(value).success).toBe(true);
    }
  });

  it('names the documented parameters with the documented defaults', () => {
    expect(parameters.RemediationMode).toMatchObject({
      Default: 'dry-run',
      AllowedValues: ['off', 'dry-run', 'on'],
    });
    expect(parameters.EnforceImdsV2).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect(parameters.MaxRemediationsPerRun).toMatchObject({ Type: 'Number', Default: '10', MinValue: 0 });
    expect(parameters.NotifyOn).toMatchObject({
      Default: 'changes',
      AllowedValues: ['changes', 'every-run'],
    });
    expect(parameters.Schedule?.Default).toBe('rate(1 hour)');
    expect(parameters.NotificationEmail?.Default).toBe('');
  });

  it('accepts an empty or valid email and a rate/cron schedule, and nothing else', () => {
    const email = new RegExp(parameters.NotificationEmail?.AllowedPattern);
    expect(['', 'ops@example.com'].every((v) => email.test(v))).toBe(true);
    expect(['ops', 'ops@', 'a b@example.com'].some((v) => email.test(v))).toBe(false);
    const schedule = new RegExp(parameters.Schedule?.AllowedPattern);
    expect(['rate(1 hour)', 'rate(15 minutes)', 'cron(0 * * * ? *)'].every((v) => schedule.test(v))).toBe(
      true,
    );
    expect(['hourly', 'rate(1 fortnight)'].some((v) => schedule.test(v))).toBe(false);
  });

  it('seeds one SSM String parameter per setting under /ssm-doctor/', () => {
    for (const key of keys) {
      synth.template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/ssm-doctor/${SETTING_SPECS[key].parameter}`,
        Type: 'String',
        Value: { Ref: parameterId(key) },
      });
    }
    expect(ofType('AWS::SSM::Parameter')).toHaveLength(keys.length);
  });
});

describe('storage and notifications', () => {
  it('keeps the full reports in one retained, encrypted, private bucket that refuses plain HTTP and expires them', () => {
    synth.template.resourceCountIs('AWS::S3::Bucket', 1);
    synth.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 400, Status: 'Enabled' }),
          ]),
        },
      },
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    const [bucketId] = ofType('AWS::S3::Bucket')[0] ?? [];
    const report = resources[logicalIdOf(synth.stack.functions.report.function)];
    expect(report?.Properties.Environment.Variables.REPORT_BUCKET).toEqual({ Ref: bucketId });
  });

  it('keeps run data in one retained, on-demand table with PITR and TTL', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it('encrypts the topic with a rotating customer-managed key and refuses plain HTTP', () => {
    const [[keyId]] = ofType('AWS::KMS::Key') as unknown as [[string, unknown]];
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
    });
    // The key goes with the stack (it only guards the topic); the ledger table is what is kept.
    synth.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes the email only when NotificationEmail is set', () => {
    const [[, subscription]] = ofType('AWS::SNS::Subscription') as [[string, ResourceJson]];
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: { Ref: 'NotificationEmail' },
    });
    const conditions = synth.json.Conditions ?? {};
    expect(conditions[subscription.Condition ?? '']).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotificationEmail' }, ''] }],
    });
  });
});

describe('functions', () => {
  it('runs every stage on Node.js 22, arm64, JSON logs, with the Powertools env', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(STAGE_NAMES.length);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON' },
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'ssm-doctor',
            POWERTOOLS_METRICS_NAMESPACE: 'SsmDoctor',
            TABLE_NAME: { Ref: expect.any(String) },
          },
        },
      });
      // Exactly what its manifest names (plus the stage itself and Powertools'), nothing else.
      const variables = fn.Properties.Environment.Variables;
      const stage = variables.SSM_DOCTOR_STAGE as StageName;
      expect(Object.keys(variables).sort()).toEqual(
        [
          ...STAGES[stage].env,
          'SSM_DOCTOR_STAGE',
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
        ].sort(),
      );
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(fn.Properties.Environment.Variables.AWS_NODEJS_CONNECTION_REUSE_ENABLED).toBeUndefined();
    }
    synth.template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: { Ref: 'LogRetentionDays' },
    });
  });

  it('gives the stages that hold a whole run more memory, and the batches time', () => {
    const fn = (name: StageName) => resources[logicalIdOf(synth.stack.functions[name].function)]?.Properties;
    // Start run holds the region's inventory and shared facts, Report every finding (README "Scale").
    expect(fn('start-run')).toMatchObject({ MemorySize: 1024, Timeout: 600 });
    expect(fn('report')).toMatchObject({ MemorySize: 1024, Timeout: 300 });
    expect(fn('diagnose-batch')).toMatchObject({ MemorySize: 512, Timeout: 600 });
    for (const light of ['remediate', 'verify', 'notify-failure'] as const) {
      expect(fn(light)?.MemorySize).toBe(512);
      expect(fn(light)?.Timeout).toBeLessThanOrEqual(300);
    }
  });

  it('creates the instance profile that attach-instance-profile associates', () => {
    const [[roleId]] = ofType('AWS::IAM::InstanceProfile').map(([, p]) => [p.Properties.Roles[0].Ref]);
    const role = resources[roleId as string];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }),
    ]);
    const policies: string[] = role?.Properties.ManagedPolicyArns.map((a: unknown) => renderIntrinsic(a));
    expect(policies).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy']);
    // What the deployed profile allows: the agent's actions, and no parameter reads.
    const sources = policies.map((arn) => ({
      id: arn,
      type: 'aws-managed' as const,
      document: MANAGED_POLICY_DOCUMENTS[arn] as PolicyDocument,
    }));
    for (const action of ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']) {
      expect(
        evaluate(sources, action, 'arn:aws:ssm:eu-west-1:123456789012:parameter/secret').decision,
      ).not.toBe('allowed');
    }
    for (const action of CORE_ACTIONS) expect(evaluate(sources, action).decision).toBe('allowed');
    const [[profileId]] = ofType('AWS::IAM::InstanceProfile');
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { REMEDIATION_INSTANCE_PROFILE_NAME: { Ref: profileId } } },
    });
  });
});

describe('workflow, schedule, monitoring', () => {
  it('is a traced Standard state machine that logs errors without execution data', () => {
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
    });
  });

  it('starts the workflow on the Schedule parameter with a role that may only start it', () => {
    const [[machineId]] = ofType('AWS::StepFunctions::StateMachine');
    const [[, schedule]] = ofType('AWS::Scheduler::Schedule') as [[string, ResourceJson]];
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: { Ref: 'Schedule' },
      State: 'ENABLED',
      Target: { Arn: { Ref: machineId }, Input: JSON.stringify({ trigger: 'schedule' }) },
    });
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
    );
    expect(policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineId } },
      // Its dead-letter queue (test/stack/health.test.ts).
      expect.objectContaining({ Effect: 'Allow', Action: 'sqs:SendMessage' }),
    ]);
  });

  it('alarms to the topic on failed, timed-out and aborted runs', () => {
    const [[topicId]] = ofType('AWS::SNS::Topic');
    const alarm = ofType('AWS::CloudWatch::Alarm').find(([id]) =>
      id.includes('FailedRuns'),
    )?.[1] as ResourceJson;
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const names = alarm.Properties.Metrics.flatMap(
      (m: { MetricStat?: { Metric: { MetricName: string } } }) => m.MetricStat?.Metric.MetricName ?? [],
    );
    expect(names.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
  });

  it('shows every run metric on the dashboard', () => {
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, ResourceJson]];
    const body = JSON.parse(renderIntrinsic(dashboard.Properties.DashboardBody, { ref: (id) => id }));
    const metrics = body.widgets.flatMap(
      (w: { properties: { metrics?: unknown[][] } }) => w.properties.metrics ?? [],
    );
    const named = (name: string) => metrics.some((m: unknown[]) => m[0] === 'SsmDoctor' && m[1] === name);
    for (const name of [...RUN_METRICS.instances, ...RUN_METRICS.fixes]) expect(named(name), name).toBe(true);
    const search = metrics
      .map((m: unknown[]) => JSON.stringify(m.at(-1)))
      .find((m: string) => m.includes('SEARCH'));
    expect(search).toMatch(/SsmDoctor,Cause,service.*Findings/);
  });
});

describe('tightened around remediation', () => {
  it('protects the table from deletion', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table') as unknown as [
      [string, { Properties: Record<string, unknown> }],
    ];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it("lets CloudWatch use the topic key only for this account's alarms", () => {
    const [[, key]] = ofType('AWS::KMS::Key') as unknown as [
      [string, { Properties: { KeyPolicy: { Statement: Statement[] } } }],
    ];
    const forCloudWatch = key.Properties.KeyPolicy.Statement.filter((s) =>
      JSON.stringify(s.Principal ?? {}).includes('cloudwatch.amazonaws.com'),
    );
    expect(forCloudWatch).toHaveLength(1);
    expect(Object.keys(forCloudWatch[0]?.Condition ?? {}).sort()).toEqual(['ArnLike', 'StringEquals']);
    expect(JSON.stringify(forCloudWatch[0]?.Condition)).toContain('aws:SourceAccount');
    expect(JSON.stringify(forCloudWatch[0]?.Condition)).toContain('aws:SourceArn');
  });

  it('tags every role of the stack as opted out, so no fix can reach them', () => {
    for (const [, role] of ofType('AWS::IAM::Role') as [
      string,
      { Properties: { Tags?: { Key: string; Value: string }[] } },
    ][]) {
      expect(role.Properties.Tags).toContainEqual({ Key: 'ssm-doctor:remediate', Value: 'false' });
    }
  });
});

interface Statement {
  Principal?: unknown;
  Condition?: Record<string, unknown>;
}
