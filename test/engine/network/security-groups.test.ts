import { describe, expect, it } from 'vitest';
import { endpointSecurityGroupIngressCheck } from '../../../lambdas/engine/checks/network/endpoint-security-group-ingress.ts';
import { securityGroupEgressCheck } from '../../../lambdas/engine/checks/network/security-group-egress.ts';
import {
  allowAll,
  behindNat,
  denied,
  isolated,
  run,
  tcp,
  type World,
  withEndpoints,
  world,
} from './fixtures.ts';

const ALL = ['ssm', 'ec2messages', 'ssmmessages'];
const instanceGroup = (w: World) =>
  w.securityGroups.find((g) => g.GroupId === 'sg-inst') ?? { GroupId: 'none' };
const endpointGroup = (w: World) =>
  w.securityGroups.find((g) => g.GroupId === 'sg-ep') ?? { GroupId: 'none' };

describe('network.security-group-egress — internet path', () => {
  it('passes when a group allows all traffic to 0.0.0.0/0, naming the rule', () => {
    const result = run(securityGroupEgressCheck, world());

    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'Security group sg-inst (all traffic to 0.0.0.0/0) allows TCP 443 out to 0.0.0.0/0 (for ssm, ec2messages and ssmmessages).',
    );
    expect(result.evidence).toMatchObject({ services: { ssm: { status: 'pass', groupIds: ['sg-inst'] } } });
  });

  it.each([
    ['only the VPC range', tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.0.0/8' }] })],
    ['only port 80', tcp(80, 80, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })],
    ['only UDP', { IpProtocol: 'udp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  ])('fails with SECURITY_GROUP_EGRESS_BLOCKED when egress allows %s', (_, rule) => {
    const w = world();
    instanceGroup(w).IpPermissionsEgress = [rule];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('fail');
    expect(result.cause).toBe('SECURITY_GROUP_EGRESS_BLOCKED');
    expect(result.summary).toBe(
      'No security group of instance i-1 (sg-inst) allows TCP 443 out to 0.0.0.0/0 (for ssm, ec2messages and ssmmessages).',
    );
    expect(result.nextSteps).toEqual([
      "Allow HTTPS out: aws ec2 authorize-security-group-egress --group-id sg-inst --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'",
    ]);
  });

  it('passes on a TCP range covering 443 to a prefix list', () => {
    const w = world();
    instanceGroup(w).IpPermissionsEgress = [
      tcp(0, 65535, { PrefixListIds: [{ PrefixListId: 'pl-egress' }] }),
    ];

    expect(run(securityGroupEgressCheck, w).status).toBe('pass');
  });

  it('warns (not fails) when 443 is allowed only to a narrower public range', () => {
    const w = world();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: '52.0.0.0/8' }] })];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('warn');
    expect(result.summary).toContain(
      'only by security group sg-inst (tcp 443 to 52.0.0.0/8); verify it covers 0.0.0.0/0',
    );
  });

  it('passes when any one of several groups allows it (groups are a union)', () => {
    const w = world();
    instanceGroup(w).IpPermissionsEgress = [];
    w.securityGroups.push({
      GroupId: 'sg-web',
      IpPermissionsEgress: [tcp(443, 443, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })],
    });
    w.candidate.instance.SecurityGroups = [{ GroupId: 'sg-inst' }, { GroupId: 'sg-web' }];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('pass');
    expect(result.summary).toContain('Security group sg-web (tcp 443 to 0.0.0.0/0) allows');
  });

  it('is unknown when a group of the instance is missing from the picture and none found allows it', () => {
    const w = world();
    instanceGroup(w).IpPermissionsEgress = [];
    w.candidate.instance.SecurityGroups = [{ GroupId: 'sg-inst' }, { GroupId: 'sg-gone' }];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain(
      'Security groups sg-gone of instance i-1 are not in the network picture',
    );
  });

  it('is unknown with the reason when security groups could not be read', () => {
    const w = world();
    w.failures.securityGroups = denied('DescribeSecurityGroups');

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('DescribeSecurityGroups failed with UnauthorizedOperation');
  });

  it('skips when no service has a path', () => {
    expect(run(securityGroupEgressCheck, isolated(world())).status).toBe('skip');
  });
});

describe('network.security-group-egress — endpoint path', () => {
  const endpointWorld = () => withEndpoints(isolated(world()), ALL, { subnets: ['subnet-ep', 'subnet-ep2'] });

  it('passes on a rule that references the endpoint security group', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { UserIdGroupPairs: [{ GroupId: 'sg-ep' }] })];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('pass');
    expect(result.summary).toContain(
      'Security group sg-inst (tcp 443 to security group sg-ep) allows TCP 443 out to interface endpoint vpce-ssm (for ssm)',
    );
  });

  it('passes on a CIDR holding every endpoint address', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.8.0/23' }] })];

    expect(run(securityGroupEgressCheck, w).status).toBe('pass');
  });

  it('warns when a CIDR holds only some endpoint addresses', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.9.0/24' }] })];

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('warn');
    expect(result.summary).toContain('only some addresses of interface endpoint vpce-ssm (not 10.0.8.101)');
  });

  it('fails and suggests a rule to the endpoint group when nothing reaches the endpoints', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.1.0/24' }] })];

    const result = run(securityGroupEgressCheck, w);

    expect(result.cause).toBe('SECURITY_GROUP_EGRESS_BLOCKED');
    expect(result.summary).toContain('to interface endpoint vpce-ec2messages (for ec2messages)');
    expect(result.nextSteps?.[0]).toBe(
      "Allow HTTPS out: aws ec2 authorize-security-group-egress --group-id sg-inst --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-ep}]'",
    );
  });

  it('is unknown when the endpoint interfaces could not be read and no group rule decides', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.9.0/24' }] })];
    w.failures.endpointInterfaces = denied('DescribeNetworkInterfaces');

    expect(run(securityGroupEgressCheck, w).status).toBe('unknown');
  });

  it('passes on an all-traffic rule to 0.0.0.0/0 even when the endpoint interfaces could not be read', () => {
    const w = endpointWorld();
    instanceGroup(w).IpPermissionsEgress = [allowAll()];
    w.failures.endpointInterfaces = denied('DescribeNetworkInterfaces');

    const result = run(securityGroupEgressCheck, w);

    expect(result.status).toBe('pass');
    expect(result.summary).toContain('Security group sg-inst (all traffic to 0.0.0.0/0) allows TCP 443 out');
  });
});

describe('network.endpoint-security-group-ingress', () => {
  it('skips when no service uses an interface endpoint', () => {
    const result = run(
      endpointSecurityGroupIngressCheck,
      withEndpoints(behindNat(world()), ALL, { privateDns: false }),
    );

    expect(result.status).toBe('skip');
    expect(result.summary).toBe('No SSM service is reached through an interface endpoint.');
  });

  it('passes on a CIDR holding the instance address', () => {
    const result = run(endpointSecurityGroupIngressCheck, withEndpoints(isolated(world()), ALL));

    expect(result.status).toBe('pass');
    expect(result.evidence).toMatchObject({
      services: { ssm: { endpointId: 'vpce-ssm', groupIds: ['sg-ep'] } },
    });
  });

  it('passes on a rule that references an instance security group', () => {
    const w = withEndpoints(isolated(world()), ALL);
    endpointGroup(w).IpPermissions = [tcp(443, 443, { UserIdGroupPairs: [{ GroupId: 'sg-inst' }] })];

    const result = run(endpointSecurityGroupIngressCheck, w);

    expect(result.status).toBe('pass');
    expect(result.summary).toContain('security group sg-ep (tcp 443 from security group sg-inst)');
  });

  it('fails with ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED and the rule to add when the instance is not let in', () => {
    const w = withEndpoints(isolated(world()), ALL);
    endpointGroup(w).IpPermissions = [
      tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.5.0/24' }], UserIdGroupPairs: [{ GroupId: 'sg-other' }] }),
      tcp(22, 22, { IpRanges: [{ CidrIp: '10.0.0.0/16' }] }),
    ];

    const result = run(endpointSecurityGroupIngressCheck, w);

    expect(result.cause).toBe('ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED');
    expect(result.summary).toContain(
      'No security group of interface endpoint vpce-ssm (sg-ep) allows TCP 443 in from instance i-1 (10.0.1.10, sg-inst)',
    );
    expect(result.nextSteps).toContain(
      "Allow HTTPS in to the endpoint: aws ec2 authorize-security-group-ingress --group-id sg-ep --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-inst}]'",
    );
  });

  it('judges only the services that use an endpoint', () => {
    const w = withEndpoints(isolated(world()), ['ssm']);
    endpointGroup(w).IpPermissions = [];

    const result = run(endpointSecurityGroupIngressCheck, w);

    expect(result.status).toBe('fail');
    expect(result.evidence).toMatchObject({
      services: { ssm: { status: 'fail' }, ec2messages: { status: 'skip' }, ssmmessages: { status: 'skip' } },
    });
  });

  it('keeps all-traffic egress rules from counting as ingress', () => {
    const w = withEndpoints(isolated(world()), ALL);
    endpointGroup(w).IpPermissions = [];
    endpointGroup(w).IpPermissionsEgress = [allowAll()];

    expect(run(endpointSecurityGroupIngressCheck, w).status).toBe('fail');
  });
});
