import {
  DescribeDhcpOptionsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeImagesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  GetConsoleOutputCommand,
  paginateDescribeInstances,
  paginateDescribeRouteTables,
} from '@aws-sdk/client-ec2';
import { describe, expect, test } from 'vitest';
import { ACCOUNT, instance, rejection, simulate, world } from './helpers.ts';

const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/app`;

const fleet = world({
  ec2: {
    Instances: [
      instance('i-web1', {
        VpcId: 'vpc-a',
        SubnetId: 'subnet-a1',
        Tags: [
          { Key: 'Name', Value: 'web-1' },
          { Key: 'team', Value: 'blue' },
        ],
        IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPAEXAMPLE' },
        Placement: { AvailabilityZone: 'eu-west-1a' },
      }),
      instance('i-web2', { VpcId: 'vpc-a', SubnetId: 'subnet-a2', Tags: [{ Key: 'Name', Value: 'web-2' }] }),
      instance('i-db1', {
        VpcId: 'vpc-b',
        SubnetId: 'subnet-b1',
        Tags: [{ Key: 'Name', Value: 'db-1' }],
        ReservationId: 'r-db',
      }),
      instance('i-db2', { VpcId: 'vpc-b', State: { Name: 'stopped' }, ReservationId: 'r-db' }),
    ],
    InstanceStatuses: [
      {
        InstanceId: 'i-web2',
        InstanceStatus: { Status: 'impaired', Details: [{ Name: 'reachability', Status: 'failed' }] },
        SystemStatus: { Status: 'ok' },
      },
    ],
    Images: [
      {
        ImageId: 'ami-al2023',
        Name: 'al2023-ami-2023.6',
        OwnerId: '137112412989',
        CreationDate: '2025-01-01T00:00:00.000Z',
      },
    ],
    Vpcs: [
      { VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-1', EnableDnsHostnames: false },
      { VpcId: 'vpc-b', CidrBlock: '10.1.0.0/16' },
    ],
    Subnets: [
      { SubnetId: 'subnet-a1', VpcId: 'vpc-a' },
      { SubnetId: 'subnet-a2', VpcId: 'vpc-a' },
      { SubnetId: 'subnet-b1', VpcId: 'vpc-b' },
    ],
    RouteTables: [
      { RouteTableId: 'rtb-main', VpcId: 'vpc-a', Associations: [{ Main: true }], Routes: [] },
      { RouteTableId: 'rtb-a1', VpcId: 'vpc-a', Associations: [{ Main: false, SubnetId: 'subnet-a1' }] },
      { RouteTableId: 'rtb-b', VpcId: 'vpc-b', Associations: [{ Main: true }] },
    ],
    InternetGateways: [{ InternetGatewayId: 'igw-a', Attachments: [{ VpcId: 'vpc-a', State: 'available' }] }],
    NatGateways: [
      {
        NatGatewayId: 'nat-1',
        VpcId: 'vpc-a',
        SubnetId: 'subnet-a1',
        State: 'available',
        CreateTime: '2026-01-01T00:00:00Z',
      },
      { NatGatewayId: 'nat-2', VpcId: 'vpc-b', SubnetId: 'subnet-b1', State: 'failed' },
    ],
    VpcEndpoints: [
      {
        VpcEndpointId: 'vpce-ssm',
        VpcId: 'vpc-b',
        ServiceName: 'com.amazonaws.eu-west-1.ssm',
        VpcEndpointType: 'Interface',
        State: 'available',
      },
      {
        VpcEndpointId: 'vpce-s3',
        VpcId: 'vpc-b',
        ServiceName: 'com.amazonaws.eu-west-1.s3',
        VpcEndpointType: 'Gateway',
        State: 'Available',
      },
    ],
    NetworkInterfaces: [
      {
        NetworkInterfaceId: 'eni-1',
        VpcId: 'vpc-b',
        PrivateIpAddress: '10.1.0.10',
        TagSet: [{ Key: 'role', Value: 'endpoint' }],
      },
      { NetworkInterfaceId: 'eni-2', VpcId: 'vpc-a', Attachment: { InstanceId: 'i-web1' } },
    ],
    SecurityGroups: [
      { GroupId: 'sg-1', GroupName: 'web', VpcId: 'vpc-a' },
      { GroupId: 'sg-2', GroupName: 'db', VpcId: 'vpc-b' },
    ],
    NetworkAcls: [
      { NetworkAclId: 'acl-a', VpcId: 'vpc-a', IsDefault: true, Associations: [{ SubnetId: 'subnet-a1' }] },
      { NetworkAclId: 'acl-b', VpcId: 'vpc-b', IsDefault: false },
    ],
    DhcpOptions: [
      {
        DhcpOptionsId: 'dopt-1',
        DhcpConfigurations: [{ Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] }],
      },
    ],
    ConsoleOutput: { 'i-web1': 'Booting...\namazon-ssm-agent failed to start' },
  },
});

const ids = (list: { InstanceId?: string }[] | undefined) => (list ?? []).map((i) => i.InstanceId);

describe('DescribeInstances', () => {
  test('groups instances into reservations and answers SDK shapes (Dates, State.Code)', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(new DescribeInstancesCommand({}));
    expect(out.Reservations?.map((r) => ids(r.Instances))).toEqual([
      ['i-web1'],
      ['i-web2'],
      ['i-db1', 'i-db2'],
    ]);
    expect(out.Reservations?.[2]).toMatchObject({ ReservationId: 'r-db', OwnerId: ACCOUNT });
    const first = out.Reservations?.[0].Instances?.[0];
    expect(first?.LaunchTime).toEqual(new Date('2026-11-01T10:00:00Z'));
    expect(first?.State).toEqual({ Code: 16, Name: 'running' });
    // Our world extension is not an EC2 field: the SDK never shows it.
    expect(out.Reservations?.[2].Instances?.[0]).not.toHaveProperty('ReservationId');
  });

  test.each([
    [[{ Name: 'instance-state-name', Values: ['running'] }], ['i-web1', 'i-web2', 'i-db1']],
    [
      [
        { Name: 'instance-state-name', Values: ['stopped', 'running'] },
        { Name: 'vpc-id', Values: ['vpc-b'] },
      ],
      ['i-db1', 'i-db2'],
    ],
    [[{ Name: 'tag:Name', Values: ['web-*'] }], ['i-web1', 'i-web2']],
    [[{ Name: 'tag:Name', Values: ['db-?'] }], ['i-db1']],
    [[{ Name: 'tag:Name', Values: ['web-1?'] }], ['i-web1']],
    [[{ Name: 'tag-key', Values: ['team'] }], ['i-web1']],
    [[{ Name: 'instance-id', Values: ['i-web*', 'i-db2'] }], ['i-web1', 'i-web2', 'i-db2']],
    [[{ Name: 'subnet-id', Values: ['subnet-a2'] }], ['i-web2']],
    [[{ Name: 'iam-instance-profile.arn', Values: [PROFILE_ARN] }], ['i-web1']],
    [[{ Name: 'tag:Name', Values: ['WEB-1'] }], []],
  ])('filters %j', async (Filters, expected) => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(new DescribeInstancesCommand({ Filters }));
    expect(out.Reservations?.flatMap((r) => ids(r.Instances))).toEqual(expected);
  });

  test('an unknown filter name is an InvalidParameterValue naming it', async () => {
    const { ec2 } = simulate(fleet);
    const error = await rejection(
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'state', Values: ['running'] }] })),
    );
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toBe("The filter 'state' is invalid");
  });

  test('unknown or malformed InstanceIds fail as EC2 does', async () => {
    const { ec2 } = simulate(fleet);
    const missing = await rejection(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-web1', 'i-x', 'i-y'] })),
    );
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    expect(missing.message).toBe("The instance IDs 'i-x, i-y' do not exist");
    const malformed = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web1'] })));
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
  });

  test('MaxResults with InstanceIds is refused; MaxResults must be 5–1000', async () => {
    const { ec2 } = simulate(fleet);
    const both = await rejection(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-web1'], MaxResults: 5 })),
    );
    expect(both.name).toBe('InvalidParameterCombination');
    const small = await rejection(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    expect(small.name).toBe('InvalidParameterValue');
    expect(small.message).toContain('Expecting a value between 5 and 1000');
  });

  test('pages of MaxResults instances, read to the end by the SDK paginator', async () => {
    const many = world({
      ec2: { Instances: Array.from({ length: 23 }, (_, n) => instance(`i-${String(n).padStart(3, '0')}`)) },
    });
    const sim = simulate(many);
    const pages = [];
    for await (const page of paginateDescribeInstances({ client: sim.ec2, pageSize: 10 }, {}))
      pages.push(page);
    expect(pages.map((p) => p.Reservations?.length)).toEqual([10, 10, 3]);
    expect(pages.flatMap((p) => p.Reservations?.flatMap((r) => ids(r.Instances)))).toHaveLength(23);
    expect(sim.account.callCounts()['ec2:DescribeInstances']).toBe(3);
    const forged = await rejection(sim.ec2.send(new DescribeInstancesCommand({ NextToken: 'bogus' })));
    expect(forged.name).toBe('InvalidNextToken');
  });
});

describe('DescribeInstanceStatus', () => {
  test('only running instances; ok/ok unless the world says otherwise', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(new DescribeInstanceStatusCommand({}));
    expect(ids(out.InstanceStatuses)).toEqual(['i-web1', 'i-web2', 'i-db1']);
    expect(out.InstanceStatuses?.[0]).toMatchObject({
      InstanceStatus: { Status: 'ok' },
      SystemStatus: { Status: 'ok' },
      InstanceState: { Name: 'running', Code: 16 },
      AvailabilityZone: 'eu-west-1a',
    });
    expect(out.InstanceStatuses?.[1].InstanceStatus?.Status).toBe('impaired');
  });

  test('IncludeAllInstances adds the others; filters select by status', async () => {
    const { ec2 } = simulate(fleet);
    const all = await ec2.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }));
    expect(ids(all.InstanceStatuses)).toEqual(['i-web1', 'i-web2', 'i-db1', 'i-db2']);
    expect(all.InstanceStatuses?.[3].InstanceStatus?.Status).toBe('not-applicable');
    const impaired = await ec2.send(
      new DescribeInstanceStatusCommand({
        Filters: [{ Name: 'instance-status.status', Values: ['impaired', 'initializing'] }],
      }),
    );
    expect(ids(impaired.InstanceStatuses)).toEqual(['i-web2']);
    const missing = await rejection(ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ['i-gone'] })));
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
  });
});

describe('instance details', () => {
  test('DescribeImages leaves out images the account cannot see', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-al2023', 'ami-deregistered'] }));
    expect(out.Images?.map((i) => i.ImageId)).toEqual(['ami-al2023']);
    // CreationDate is a string in EC2's model, not a timestamp.
    expect(out.Images?.[0].CreationDate).toBe('2025-01-01T00:00:00.000Z');
    const byName = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*'] }] }),
    );
    expect(byName.Images).toHaveLength(1);
    expect((await rejection(ec2.send(new DescribeImagesCommand({ ImageIds: ['al2023'] })))).name).toBe(
      'InvalidAMIID.Malformed',
    );
  });

  test('DescribeImages hides deprecated AMIs of other owners unless asked for by id or IncludeDeprecated', async () => {
    const deprecated = (ImageId: string, OwnerId: string, DeprecationTime: string) => ({
      ImageId,
      OwnerId,
      Name: ImageId,
      DeprecationTime,
    });
    const { ec2 } = simulate(
      world({
        now: '2026-11-26T06:00:00Z',
        ec2: {
          Images: [
            deprecated('ami-old', '137112412989', '2025-01-01T00:00:00.000Z'),
            deprecated('ami-mine', ACCOUNT, '2025-01-01T00:00:00.000Z'),
            deprecated('ami-later', '137112412989', '2027-01-01T00:00:00.000Z'),
          ],
        },
      }),
    );
    const all = ['ami-old', 'ami-mine', 'ami-later'];
    const byFilter = (more: { IncludeDeprecated?: boolean } = {}) =>
      ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'image-id', Values: all }], ...more }));

    expect((await byFilter()).Images?.map((i) => i.ImageId)).toEqual(['ami-mine', 'ami-later']);
    expect((await byFilter({ IncludeDeprecated: true })).Images?.map((i) => i.ImageId)).toEqual(all);
    const byId = await ec2.send(new DescribeImagesCommand({ ImageIds: all }));
    expect(byId.Images?.map((i) => i.ImageId)).toEqual(all);
  });

  test('GetConsoleOutput answers base64 as AWS does, and nothing when there is none', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-web1' }));
    expect(Buffer.from(out.Output ?? '', 'base64').toString('utf8')).toBe(
      'Booting...\namazon-ssm-agent failed to start',
    );
    expect(out.Timestamp).toBeInstanceOf(Date);
    const none = await ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-web2' }));
    expect(none.Output).toBeUndefined();
    expect((await rejection(ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-nope' })))).name).toBe(
      'InvalidInstanceID.NotFound',
    );
  });

  test('DescribeIamInstanceProfileAssociations lists the instances that have a profile', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [{ Name: 'instance-id', Values: ['i-web1'] }],
      }),
    );
    expect(out.IamInstanceProfileAssociations).toEqual([
      {
        AssociationId: expect.stringMatching(/^iip-assoc-[0-9a-f]{17}$/),
        InstanceId: 'i-web1',
        IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPAEXAMPLE' },
        State: 'associated',
      },
    ]);
  });
});

describe('network reads', () => {
  test('DescribeVpcs drops our extension fields; DescribeVpcAttribute reads them (default true)', async () => {
    const { ec2 } = simulate(fleet);
    const vpcs = await ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-a'] }));
    expect(vpcs.Vpcs).toEqual([{ VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-1' }]);
    const hostnames = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: 'vpc-a', Attribute: 'enableDnsHostnames' }),
    );
    expect(hostnames.EnableDnsHostnames?.Value).toBe(false);
    const support = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: 'vpc-a', Attribute: 'enableDnsSupport' }),
    );
    expect(support.EnableDnsSupport?.Value).toBe(true);
    const missing = await rejection(
      ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-zz', Attribute: 'enableDnsSupport' })),
    );
    expect(missing.name).toBe('InvalidVpcID.NotFound');
  });

  test('route tables by VPC, explicit association or main flag', async () => {
    const { ec2 } = simulate(fleet);
    const rtb = async (Filters: { Name: string; Values: string[] }[]) =>
      (await ec2.send(new DescribeRouteTablesCommand({ Filters }))).RouteTables?.map((t) => t.RouteTableId);
    expect(await rtb([{ Name: 'vpc-id', Values: ['vpc-a'] }])).toEqual(['rtb-main', 'rtb-a1']);
    expect(await rtb([{ Name: 'association.subnet-id', Values: ['subnet-a1'] }])).toEqual(['rtb-a1']);
    expect(
      await rtb([
        { Name: 'association.main', Values: ['true'] },
        { Name: 'vpc-id', Values: ['vpc-a'] },
      ]),
    ).toEqual(['rtb-main']);
    expect(await rtb([{ Name: 'route-table-id', Values: ['rtb-b'] }])).toEqual(['rtb-b']);
    const missing = await rejection(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-zz'] })));
    expect(missing.name).toBe('InvalidRouteTableID.NotFound');
  });

  test('DescribeRouteTables pages at most 100 per call', async () => {
    const tables = Array.from({ length: 130 }, (_, n) => ({ RouteTableId: `rtb-${n}`, VpcId: 'vpc-a' }));
    const sim = simulate(world({ ec2: { RouteTables: tables } }));
    const error = await rejection(sim.ec2.send(new DescribeRouteTablesCommand({ MaxResults: 101 })));
    expect(error.message).toContain('between 5 and 100');
    const sizes = [];
    for await (const page of paginateDescribeRouteTables({ client: sim.ec2, pageSize: 100 }, {}))
      sizes.push(page.RouteTables?.length);
    expect(sizes).toEqual([100, 30]);
  });

  test('DescribeNatGateways takes Filter (singular) and answers NatGatewayNotFound', async () => {
    const { ec2 } = simulate(fleet);
    const out = await ec2.send(
      new DescribeNatGatewaysCommand({
        Filter: [
          { Name: 'vpc-id', Values: ['vpc-a', 'vpc-b'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );
    expect(out.NatGateways?.map((n) => n.NatGatewayId)).toEqual(['nat-1']);
    expect(out.NatGateways?.[0].CreateTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(
      (await rejection(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-9'] })))).name,
    ).toBe('NatGatewayNotFound');
  });

  test('a regional NAT gateway, which lives in no subnet, is a valid world object and is served', async () => {
    const regional = {
      NatGatewayId: 'nat-regional',
      VpcId: 'vpc-a',
      State: 'available',
      ConnectivityType: 'public',
      AvailabilityMode: 'regional',
      RouteTableId: 'rtb-nat',
    };
    const { ec2 } = simulate(world({ ec2: { NatGateways: [regional] } }));
    const out = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: ['vpc-a'] }] }),
    );
    expect(out.NatGateways).toEqual([regional]);
  });

  test('internet gateways, endpoints, interfaces, groups, ACLs and DHCP options', async () => {
    const { ec2 } = simulate(fleet);
    const igw = await ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: ['vpc-a'] }] }),
    );
    expect(igw.InternetGateways?.map((g) => g.InternetGatewayId)).toEqual(['igw-a']);
    const endpoints = await ec2.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: ['vpc-b'] },
          {
            Name: 'service-name',
            Values: ['com.amazonaws.eu-west-1.ssm', 'com.amazonaws.eu-west-1.ec2messages'],
          },
          { Name: 'vpc-endpoint-type', Values: ['Interface'] },
        ],
      }),
    );
    expect(endpoints.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual(['vpce-ssm']);
    const available = await ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-state', Values: ['available'] }] }),
    );
    expect(available.VpcEndpoints).toHaveLength(2);
    const enis = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'attachment.instance-id', Values: ['i-web1'] }],
      }),
    );
    expect(enis.NetworkInterfaces?.map((n) => n.NetworkInterfaceId)).toEqual(['eni-2']);
    const tagged = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:role', Values: ['endpoint'] }] }),
    );
    expect(tagged.NetworkInterfaces?.map((n) => n.NetworkInterfaceId)).toEqual(['eni-1']);
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ['sg-2'] }] }),
    );
    expect(groups.SecurityGroups?.map((g) => g.GroupName)).toEqual(['db']);
    const acls = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'default', Values: ['true'] }] }),
    );
    expect(acls.NetworkAcls?.map((a) => a.NetworkAclId)).toEqual(['acl-a']);
    const dhcp = await ec2.send(
      new DescribeDhcpOptionsCommand({ Filters: [{ Name: 'dhcp-options-id', Values: ['dopt-1'] }] }),
    );
    expect(dhcp.DhcpOptions?.[0].DhcpConfigurations?.[0].Values?.[0].Value).toBe('AmazonProvidedDNS');
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-a'] }] }),
    );
    expect(subnets.Subnets?.map((s) => s.SubnetId)).toEqual(['subnet-a1', 'subnet-a2']);
  });

  test.each([
    [new DescribeVpcsCommand({ VpcIds: ['vpc-zz'] }), 'InvalidVpcID.NotFound'],
    [new DescribeSubnetsCommand({ SubnetIds: ['subnet-zz'] }), 'InvalidSubnetID.NotFound'],
    [
      new DescribeInternetGatewaysCommand({ InternetGatewayIds: ['igw-zz'] }),
      'InvalidInternetGatewayID.NotFound',
    ],
    [new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-zz'] }), 'InvalidVpcEndpointId.NotFound'],
    [
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-zz'] }),
      'InvalidNetworkInterfaceID.NotFound',
    ],
    [new DescribeSecurityGroupsCommand({ GroupIds: ['sg-zz'] }), 'InvalidGroup.NotFound'],
    [new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-zz'] }), 'InvalidNetworkAclID.NotFound'],
    [new DescribeDhcpOptionsCommand({ DhcpOptionsIds: ['dopt-zz'] }), 'InvalidDhcpOptionID.NotFound'],
    [new DescribeSecurityGroupsCommand({ GroupIds: ['sg-1'], MaxResults: 5 }), 'InvalidParameterCombination'],
    [new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc', Values: ['vpc-a'] }] }), 'InvalidParameterValue'],
  ])('%s fails with %s', async (command, code) => {
    const { ec2 } = simulate(fleet);
    // biome-ignore lint/suspicious/noExplicitAny: one table for several command types.
    expect((await rejection(ec2.send(command as any))).name).toBe(code);
  });
});
