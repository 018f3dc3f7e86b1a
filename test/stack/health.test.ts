/** Never silent, never forgotten: the health alarms, the schedule's dead letters and the log retention. */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_LOG_LINES, SKIPPED_HOURS } from '../../lib/constructs/monitoring.ts';
import { logicalIdOf, type ResourceJson, type Synthesized, synthStack } from '../support/local/synth.ts';

let synth: Synthesized;
const ofType = (type: string) =>
  Object.entries(synth.json.Resources).filter(([, r]) => r.Type === type) as [string, ResourceJson][];
const topicId = () => ofType('AWS::SNS::Topic')[0]?.[0];
const alarmOn = (metricName: string) =>
  ofType('AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.MetricName === metricName)?.[1];
/** The metric filter that counts `message` lines in the log group of `stage`. */
const filterOf = (metricName: string) =>
  ofType('AWS::Logs::MetricFilter').find(
    ([, f]) => f.Properties.MetricTransformations[0].MetricName === metricName,
  )?.[1];

beforeAll(() => {
  synth = synthStack();
});
afterAll(() => synth.cleanup());

describe('the dead-man alarm', () => {
  it('fires when no run completed for RunCompletedAlarmHours (two hourly periods), missing data breaching', () => {
    const alarm = alarmOn(HEALTH_LOG_LINES.completed.metric);
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'SsmDoctor',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      EvaluationPeriods: { Ref: 'RunCompletedAlarmHours' },
      DatapointsToAlarm: { Ref: 'RunCompletedAlarmHours' },
      AlarmActions: [{ Ref: topicId() }],
    });
    expect(synth.json.Parameters.RunCompletedAlarmHours).toMatchObject({ Type: 'Number', Default: 2 });
  });

  it('counts the completed runs from the report stage’s own "Run reported" line', () => {
    const filter = filterOf(HEALTH_LOG_LINES.completed.metric);
    expect(filter?.Properties.LogGroupName).toEqual({
      Ref: logicalIdOf(synth.stack.functions.report.logGroup),
    });
    expect(filter?.Properties.FilterPattern).toBe('{ $.message = "Run reported" }');
  });
});

describe('the skipped-run alarm', () => {
  it(`fires after ${SKIPPED_HOURS} consecutive hours with a run skipped on the lock`, () => {
    const alarm = alarmOn(HEALTH_LOG_LINES.skipped.metric);
    expect(alarm?.Properties).toMatchObject({
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: SKIPPED_HOURS,
      DatapointsToAlarm: SKIPPED_HOURS,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId() }],
    });
    const filter = filterOf(HEALTH_LOG_LINES.skipped.metric);
    expect(filter?.Properties.LogGroupName).toEqual({
      Ref: logicalIdOf(synth.stack.functions['start-run'].logGroup),
    });
    expect(filter?.Properties.FilterPattern).toBe(
      '{ $.message = "Another run holds the lock: skipping this one" }',
    );
  });
});

describe('the schedule dead-letter queue', () => {
  it('receives what Scheduler cannot deliver, encrypted and TLS-only, with an alarm to the topic', () => {
    const [[queueId]] = ofType('AWS::SQS::Queue');
    const [[, schedule]] = ofType('AWS::Scheduler::Schedule');
    expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(synth.json.Resources[queueId as string]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const alarm = alarmOn('ApproximateNumberOfMessagesVisible');
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId() }],
    });
    // Scheduler's role may send to the queue (the target's grant), and nothing else but start the run.
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s: { Action: string }) => s.Action).sort()).toEqual([
      'sqs:SendMessage',
      'states:StartExecution',
    ]);
  });
});

describe('logs', () => {
  it('keeps every log group LogRetentionDays (a year by default) and retains it on stack deletion', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBe(7);
    for (const [id, group] of groups) {
      expect(group.Properties.RetentionInDays, id).toEqual({ Ref: 'LogRetentionDays' });
      expect(group.DeletionPolicy, id).toBe('Retain');
      expect((group as { UpdateReplacePolicy?: string }).UpdateReplacePolicy, id).toBe('Retain');
    }
    expect(synth.json.Parameters.LogRetentionDays).toMatchObject({ Type: 'Number', Default: 365 });
    expect(synth.json.Parameters.LogRetentionDays.AllowedValues).toContain('30');
  });
});
