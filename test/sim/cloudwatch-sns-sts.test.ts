import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, test } from 'vitest';
import { ACCOUNT, REGION, rejection, simulate, world } from './helpers.ts';

const START = new Date('2026-11-12T06:00:00Z');
const END = new Date('2026-11-26T06:00:00Z');

const noToken = (Id: string, instanceId: string, Stat = 'Sum'): MetricDataQuery => ({
  Id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/EC2',
      MetricName: 'MetadataNoToken',
      Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
    },
    Period: 86_400,
    Stat,
  },
});

describe('GetMetricData', () => {
  const sim = () => simulate(world({ cloudwatch: { MetadataNoToken: { 'i-v1': 42, 'i-v2': 0 } } }));

  test('one value per MetadataNoToken Sum query; none when the world has no number', async () => {
    const out = await sim().cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: START,
        EndTime: END,
        MetricDataQueries: [
          noToken('q0', 'i-v1'),
          noToken('q1', 'i-v2'),
          noToken('q2', 'i-unknown'),
          noToken('q3', 'i-v1', 'Average'),
        ],
      }),
    );
    expect(out.MetricDataResults).toEqual([
      { Id: 'q0', Label: 'MetadataNoToken', Timestamps: [START], Values: [42], StatusCode: 'Complete' },
      { Id: 'q1', Label: 'MetadataNoToken', Timestamps: [START], Values: [0], StatusCode: 'Complete' },
      { Id: 'q2', Label: 'MetadataNoToken', Timestamps: [], Values: [], StatusCode: 'Complete' },
      { Id: 'q3', Label: 'MetadataNoToken', Timestamps: [], Values: [], StatusCode: 'Complete' },
    ]);
  });

  test('refuses what CloudWatch refuses: bad ids, more than 500 queries, an empty window', async () => {
    const { cloudwatch } = sim();
    const send = (queries: MetricDataQuery[], start = START) =>
      rejection(
        cloudwatch.send(
          new GetMetricDataCommand({ StartTime: start, EndTime: END, MetricDataQueries: queries }),
        ),
      );
    expect((await send([noToken('i-v1', 'i-v1')])).name).toBe('ValidationException');
    expect((await send([noToken('q0', 'a'), noToken('q0', 'b')])).message).toContain('duplicate');
    const many = Array.from({ length: 501 }, (_, i) => noToken(`q${i}`, 'i-v1'));
    expect((await send(many)).Code).toBe('ValidationError');
    expect((await send([noToken('q0', 'i-v1')], END)).name).toBe('InvalidParameterValueException');
  });
});

describe('Publish', () => {
  const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ssm-doctor`;

  test('records the message and answers a MessageId', async () => {
    const sim = simulate(world());
    const out = await sim.sns.send(
      new PublishCommand({ TopicArn: TOPIC, Subject: '3 unmanaged instances', Message: 'body' }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.account.published).toEqual([
      { TopicArn: TOPIC, Subject: '3 unmanaged instances', Message: 'body' },
    ]);
    expect(sim.account.callCounts()).toEqual({ 'sns:Publish': 1 });
  });

  test.each([
    [{ TopicArn: TOPIC, Subject: 'two\nlines', Message: 'm' }, 'Invalid parameter: Subject'],
    [{ TopicArn: TOPIC, Subject: 'x'.repeat(100), Message: 'm' }, 'Invalid parameter: Subject'],
    [
      { TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:ssm-doctor`, Message: 'm' },
      'Invalid parameter: TopicArn',
    ],
    [{ TopicArn: TOPIC, Message: 'x'.repeat(262_145) }, 'Invalid parameter: Message too long'],
  ])('refuses %#', async (input, message) => {
    const sim = simulate(world());
    const error = await rejection(sim.sns.send(new PublishCommand(input)));
    expect([error.name, error.message]).toEqual(['InvalidParameterException', message]);
    expect(sim.account.published).toEqual([]);
  });
});

test('GetCallerIdentity answers the world account', async () => {
  const out = await simulate(world()).sts.send(new GetCallerIdentityCommand({}));
  expect(out.Account).toBe(ACCOUNT);
  expect(out.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ssm-doctor-simulated/simulated-session`);
  expect(out.UserId).toMatch(/^AROA[A-Z2-7]{17}:simulated-session$/);
});
