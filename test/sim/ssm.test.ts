import {
  DescribeInstanceInformationCommand,
  DescribeInstancePropertiesCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  GetServiceSettingCommand,
  paginateDescribeInstanceInformation,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { ACCOUNT, instance, REGION, rejection, simulate, world } from './helpers.ts';

const DHMC = '/ssm/managed-instance/default-ec2-instance-management-role';

const registrations = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    InstanceId: `i-${String(i).padStart(4, '0')}`,
    PingStatus: i % 10 === 0 ? 'ConnectionLost' : 'Online',
    LastPingDateTime: '2026-11-26T05:00:00Z',
    AgentVersion: '3.3.0.0',
    PlatformType: 'Linux',
  }));

describe('DescribeInstanceInformation', () => {
  test('120 registrations come in 3 pages of at most 50', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(120) } }));
    const sizes: number[] = [];
    for await (const page of paginateDescribeInstanceInformation({ client: sim.ssm, pageSize: 50 }, {})) {
      sizes.push(page.InstanceInformationList?.length ?? 0);
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(sim.account.callCounts()).toEqual({ 'ssm:DescribeInstanceInformation': 3 });
  });

  test('the default page is 10; more than 50 is refused as SSM does', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(12) } }));
    const first = await sim.ssm.send(new DescribeInstanceInformationCommand({}));
    expect(first.InstanceInformationList).toHaveLength(10);
    expect(first.NextToken).toBeDefined();
    expect(first.InstanceInformationList?.[0].LastPingDateTime).toEqual(new Date('2026-11-26T05:00:00Z'));
    const error = await rejection(sim.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 100 })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('less than or equal to 50');
  });

  test('an InstanceIds filter of up to 100 ids pages by 50; an unregistered id fails it, named', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(120) } }));
    const ids = registrations(100).map((r) => r.InstanceId);
    const first = await sim.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: ids }],
        MaxResults: 50,
      }),
    );
    expect(first.InstanceInformationList).toHaveLength(50);
    const second = await sim.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: ids }],
        MaxResults: 50,
        NextToken: first.NextToken,
      }),
    );
    expect(second.InstanceInformationList?.at(-1)?.InstanceId).toBe('i-0099');
    expect(second.NextToken).toBeUndefined();
    const tooMany = await rejection(
      sim.ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: registrations(101).map((r) => r.InstanceId) }],
        }),
      ),
    );
    expect(tooMany.name).toBe('InvalidInstanceInformationFilterValue');
    const unregistered = await rejection(
      sim.ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: ['i-0003', 'i-9998', 'i-9999'] }],
        }),
      ),
    );
    expect(unregistered.name).toBe('InvalidInstanceId');
    expect(unregistered.message).toContain('[[i-9998, i-9999]]');
  });

  test('filters by InstanceIds and PingStatus, in both filter syntaxes', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(30) } }));
    const lost = await sim.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
        MaxResults: 50,
      }),
    );
    expect(lost.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0000', 'i-0010', 'i-0020']);
    const byId = await sim.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ['i-0003'] }] }),
    );
    expect(byId.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0003']);
    // As SSM does: an id that is not a managed node fails the whole request.
    const unregistered = await rejection(
      sim.ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: ['i-0003', 'i-9999'] }],
        }),
      ),
    );
    expect(unregistered.name).toBe('InvalidInstanceId');
    expect(unregistered.message).toContain('i-9999');
    const legacy = await sim.ssm.send(
      new DescribeInstanceInformationCommand({
        InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: ['i-0004'] }],
      }),
    );
    expect(legacy.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0004']);
    const bad = await rejection(
      sim.ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Color', Values: ['x'] }] })),
    );
    expect(bad.name).toBe('InvalidFilterKey');
  });

  test('tag filters read the EC2 instance tags', async () => {
    const sim = simulate(
      world({
        ec2: {
          Instances: [instance('i-0001', { Tags: [{ Key: 'env', Value: 'prod' }] }), instance('i-0002')],
        },
        ssm: { InstanceInformationList: registrations(3) },
      }),
    );
    const out = await sim.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:env', Values: ['prod'] }] }),
    );
    expect(out.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0001']);
  });
});

describe('DescribeInstanceProperties', () => {
  test('the same nodes as properties, up to 1,000 a page; more is refused', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(1200) } }));
    const first = await sim.ssm.send(new DescribeInstancePropertiesCommand({ MaxResults: 1000 }));
    expect(first.InstanceProperties).toHaveLength(1000);
    expect(first.InstanceProperties?.[0]).toMatchObject({
      InstanceId: 'i-0000',
      PingStatus: 'ConnectionLost',
      LastPingDateTime: new Date('2026-11-26T05:00:00Z'),
      AgentVersion: '3.3.0.0',
      PlatformType: 'Linux',
    });
    const second = await sim.ssm.send(
      new DescribeInstancePropertiesCommand({ MaxResults: 1000, NextToken: first.NextToken }),
    );
    expect(second.InstanceProperties).toHaveLength(200);
    expect(second.NextToken).toBeUndefined();
    await expect(
      sim.ssm.send(new DescribeInstancePropertiesCommand({ MaxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('filters by the keys DescribeInstanceInformation takes', async () => {
    const sim = simulate(world({ ssm: { InstanceInformationList: registrations(30) } }));
    const lost = await sim.ssm.send(
      new DescribeInstancePropertiesCommand({
        FiltersWithOperator: [{ Key: 'PingStatus', Values: ['ConnectionLost'], Operator: 'Equal' }],
      }),
    );
    expect(lost.InstanceProperties?.map((p) => p.InstanceId)).toEqual(['i-0000', 'i-0010', 'i-0020']);
    const both = sim.ssm.send(
      new DescribeInstancePropertiesCommand({
        InstancePropertyFilterList: [{ key: 'PingStatus', valueSet: ['Online'] }],
        FiltersWithOperator: [{ Key: 'PingStatus', Values: ['Online'] }],
      }),
    );
    await expect(both).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('GetServiceSetting', () => {
  test('DHMC never set answers $None, by path or by ARN', async () => {
    const sim = simulate(world());
    const byPath = await sim.ssm.send(new GetServiceSettingCommand({ SettingId: DHMC }));
    expect(byPath.ServiceSetting).toMatchObject({
      SettingId: DHMC,
      SettingValue: '$None',
      Status: 'Default',
    });
    const arn = `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting${DHMC}`;
    const byArn = await sim.ssm.send(new GetServiceSettingCommand({ SettingId: arn }));
    expect(byArn.ServiceSetting?.SettingValue).toBe('$None');
    expect(byArn.ServiceSetting?.ARN).toBe(arn);
  });

  test('a setting in the world is answered as stored', async () => {
    const sim = simulate(
      world({
        ssm: {
          ServiceSettings: [
            {
              SettingId: DHMC,
              SettingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
              LastModifiedDate: '2026-01-01T00:00:00Z',
            },
          ],
        },
      }),
    );
    const out = await sim.ssm.send(new GetServiceSettingCommand({ SettingId: DHMC }));
    expect(out.ServiceSetting).toMatchObject({
      SettingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      Status: 'Customized',
      LastModifiedDate: new Date('2026-01-01T00:00:00Z'),
    });
    const unknown = await rejection(
      sim.ssm.send(new GetServiceSettingCommand({ SettingId: '/ssm/made-up' })),
    );
    expect(unknown.name).toBe('ServiceSettingNotFound');
  });
});

describe('Parameter Store', () => {
  const parameters = [
    { Name: '/ssm-doctor/remediation-mode', Value: 'on', Type: 'String' },
    { Name: '/ssm-doctor/grace-period-minutes', Value: '15', Type: 'String' },
    { Name: '/ssm-doctor/nested/deep', Value: 'x', Type: 'String' },
    { Name: '/ssm-doctor/secret', Value: 'hunter2', Type: 'SecureString' },
    ...Array.from({ length: 11 }, (_, i) => ({ Name: `/many/p${i}`, Value: String(i), Type: 'String' })),
  ];

  test('GetParametersByPath: one level, or recursive', async () => {
    const sim = simulate(world({ ssm: { Parameters: parameters } }));
    const flat = await sim.ssm.send(
      new GetParametersByPathCommand({ Path: '/ssm-doctor', WithDecryption: true }),
    );
    expect(flat.Parameters?.map((p) => p.Name)).toEqual([
      '/ssm-doctor/remediation-mode',
      '/ssm-doctor/grace-period-minutes',
      '/ssm-doctor/secret',
    ]);
    expect(flat.Parameters?.[2].Value).toBe('hunter2');
    const deep = await sim.ssm.send(
      new GetParametersByPathCommand({ Path: '/ssm-doctor/', Recursive: true }),
    );
    expect(deep.Parameters).toHaveLength(4);
    // Without WithDecryption a SecureString is ciphertext.
    expect(deep.Parameters?.find((p) => p.Name === '/ssm-doctor/secret')?.Value).not.toBe('hunter2');
    expect(deep.Parameters?.[0].ARN).toBe(
      `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ssm-doctor/remediation-mode`,
    );
  });

  test('GetParametersByPath pages at most 10', async () => {
    const sim = simulate(world({ ssm: { Parameters: parameters } }));
    const sizes: number[] = [];
    for await (const page of paginateGetParametersByPath({ client: sim.ssm }, { Path: '/many' }))
      sizes.push(page.Parameters?.length ?? 0);
    expect(sizes).toEqual([10, 1]);
    expect(
      (await rejection(sim.ssm.send(new GetParametersByPathCommand({ Path: '/many', MaxResults: 11 })))).name,
    ).toBe('ValidationException');
  });

  test('GetParameter and GetParameters', async () => {
    const sim = simulate(world({ ssm: { Parameters: parameters } }));
    expect(
      (await sim.ssm.send(new GetParameterCommand({ Name: '/ssm-doctor/remediation-mode' }))).Parameter
        ?.Value,
    ).toBe('on');
    expect((await rejection(sim.ssm.send(new GetParameterCommand({ Name: '/nope' })))).name).toBe(
      'ParameterNotFound',
    );
    const several = await sim.ssm.send(
      new GetParametersCommand({ Names: ['/ssm-doctor/remediation-mode', '/nope'] }),
    );
    expect(several.Parameters?.map((p) => p.Name)).toEqual(['/ssm-doctor/remediation-mode']);
    expect(several.InvalidParameters).toEqual(['/nope']);
  });
});
