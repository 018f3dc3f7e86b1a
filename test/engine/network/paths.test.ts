import { describe, expect, it } from 'vitest';
import { servicePathChecks } from '../../../lambdas/engine/checks/network/path-checks.ts';
import { resolveServicePaths } from '../../../lambdas/engine/checks/network/paths.ts';
import { behindNat, denied, factsOf, isolated, routeTable, run, withEndpoints, world } from './fixtures.ts';

const [ssmPath, ec2messagesPath, ssmmessagesPath] = servicePathChecks as [
  (typeof servicePathChecks)[0],
  (typeof servicePathChecks)[0],
  (typeof servicePathChecks)[0],
];
const allPaths = (w: ReturnType<typeof world>) => servicePathChecks.map((check) => run(check, w));

describe('network.path.* — internet path', () => {
  it('passes through the internet gateway when the instance has a public IPv4', () => {
    const results = allPaths(world());

    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['network.path.ssm', 'pass'],
      ['network.path.ec2messages', 'pass'],
      ['network.path.ssmmessages', 'pass'],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      path: 'internet',
      hostname: 'ssm.eu-west-1.amazonaws.com',
      routeTableId: 'rtb-main',
      routeTableAssociation: 'main',
      defaultRoute: 'igw-1',
      publicIp: '54.0.0.10',
    });
  });

  it('blames PUBLIC_IP_MISSING when the subnet routes to an internet gateway and the instance has no public IPv4', () => {
    const w = world();
    w.candidate.instance.PublicIpAddress = undefined;

    const result = run(ssmPath, w);

    expect(result.status).toBe('fail');
    expect(result.cause).toBe('PUBLIC_IP_MISSING');
    expect(result.summary).toContain('internet gateway igw-1');
    expect(result.nextSteps?.[0]).toContain('aws ec2 associate-address --instance-id i-1');
  });

  it('blames ROUTE_MISSING with the route to add when there is no default route and no endpoints', () => {
    const w = isolated(world());
    w.natGateways.push({
      NatGatewayId: 'nat-9',
      VpcId: 'vpc-1',
      SubnetId: 'subnet-public',
      State: 'available',
    });

    const result = run(ec2messagesPath, w);

    expect(result.cause).toBe('ROUTE_MISSING');
    expect(result.summary).toBe(
      'Route table rtb-private of subnet subnet-1 has no 0.0.0.0/0 route, and VPC vpc-1 has no interface endpoint for ec2messages.',
    );
    expect(result.nextSteps?.[0]).toBe(
      'Add a default route: aws ec2 create-route --route-table-id rtb-private --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-9',
    );
    expect(result.evidence).toMatchObject({ path: 'none', routeTableId: 'rtb-private', defaultRoute: null });
  });

  it('blames ROUTE_BLACKHOLE when the default route target is gone', () => {
    const w = world();
    w.routeTables = [routeTable('rtb-main', 'main', { GatewayId: 'igw-gone', State: 'blackhole' })];

    const result = run(ssmPath, w);

    expect(result.cause).toBe('ROUTE_BLACKHOLE');
    expect(result.summary).toContain('points at igw-gone, which no longer exists (blackhole)');
    expect(result.nextSteps?.[0]).toContain('aws ec2 replace-route --route-table-id rtb-main');
  });

  it('passes through an available NAT gateway whose subnet routes to the internet gateway', () => {
    const result = run(ssmmessagesPath, behindNat(world()));

    expect(result.status).toBe('pass');
    expect(result.evidence).toMatchObject({
      path: 'internet',
      routeTableId: 'rtb-private',
      routeTableAssociation: 'explicit',
      natGatewayId: 'nat-1',
      natSubnetId: 'subnet-public',
      natRouteTableId: 'rtb-main',
    });
  });

  it('blames NAT_GATEWAY_UNAVAILABLE when the NAT gateway is not available', () => {
    const w = behindNat(world(), {
      State: 'failed',
      FailureMessage: 'Elastic IP address is already associated',
    });

    const result = run(ssmPath, w);

    expect(result.cause).toBe('NAT_GATEWAY_UNAVAILABLE');
    expect(result.summary).toContain(
      'NAT gateway nat-1 used by route table rtb-private of subnet subnet-1 is failed',
    );
    expect(result.evidence).toMatchObject({ natState: 'failed' });
  });

  it('blames NAT_GATEWAY_UNAVAILABLE when the NAT gateway subnet has no route to an internet gateway', () => {
    const w = behindNat(world());
    w.routeTables.push(routeTable('rtb-nat', ['subnet-public']));

    const result = run(ssmPath, w);

    expect(result.cause).toBe('NAT_GATEWAY_UNAVAILABLE');
    expect(result.summary).toContain(
      'sits in subnet subnet-public, whose route table rtb-nat has no 0.0.0.0/0 route',
    );
    expect(result.nextSteps?.[0]).toContain(
      'aws ec2 create-route --route-table-id rtb-nat --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1',
    );
  });

  it('follows a regional NAT gateway through its own route table', () => {
    const w = behindNat(world(), {
      SubnetId: undefined,
      AvailabilityMode: 'regional',
      RouteTableId: 'rtb-nat',
    });
    w.routeTables.push(routeTable('rtb-nat', [], { GatewayId: 'igw-1' }));

    expect(run(ssmPath, w).evidence).toMatchObject({
      path: 'internet',
      natGatewayId: 'nat-1',
      natRouteTableId: 'rtb-nat',
    });
  });

  it('blames NAT_GATEWAY_UNAVAILABLE for a private NAT gateway', () => {
    const result = run(ssmPath, behindNat(world(), { ConnectivityType: 'private' }));

    expect(result.cause).toBe('NAT_GATEWAY_UNAVAILABLE');
    expect(result.summary).toContain('private NAT gateway');
  });

  it.each([
    [{ TransitGatewayId: 'tgw-1' }, 'transit gateway tgw-1'],
    [{ VpcPeeringConnectionId: 'pcx-1' }, 'VPC peering connection pcx-1'],
    [{ GatewayId: 'vgw-1' }, 'virtual private gateway vgw-1'],
    [{ NetworkInterfaceId: 'eni-fw' }, 'network interface eni-fw'],
  ])('is unknown, saying what to verify, when the default route goes to %o', (target, named) => {
    const w = isolated(world());
    w.routeTables = [routeTable('rtb-main', 'main', target)];

    const result = run(ssmPath, w);

    expect(result.status).toBe('unknown');
    expect(result.cause).toBeUndefined();
    expect(result.summary).toContain(`sends 0.0.0.0/0 to ${named}`);
    expect(result.nextSteps?.[0]).toContain(`Verify that ${named} leads to internet egress`);
  });
});

describe('network.path.* — endpoint path', () => {
  it('passes through available endpoints with private DNS and VPC DNS on, with no route at all', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages']);

    const results = allPaths(w);

    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    expect(results[1]?.evidence).toMatchObject({
      path: 'endpoint',
      endpointId: 'vpce-ec2messages',
      privateDnsEnabled: true,
    });
  });

  it('blames VPC_ENDPOINT_MISSING for the services without an endpoint when only ssm has one', () => {
    const w = withEndpoints(isolated(world()), ['ssm']);

    const results = allPaths(w);

    expect(results.map((r) => [r.status, r.cause])).toEqual([
      ['pass', undefined],
      ['fail', 'VPC_ENDPOINT_MISSING'],
      ['fail', 'VPC_ENDPOINT_MISSING'],
    ]);
    expect(results[1]?.summary).toBe(
      'VPC vpc-1 has interface endpoints for ssm but none for ec2messages, and route table rtb-private of subnet subnet-1 has no 0.0.0.0/0 route.',
    );
    expect(results[2]?.nextSteps?.[0]).toBe(
      'Create the missing endpoint: aws ec2 create-vpc-endpoint --vpc-id vpc-1 --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.ssmmessages --subnet-ids subnet-ep --security-group-ids sg-ep --private-dns-enabled',
    );
  });

  it('blames VPC_ENDPOINT_MISSING when the endpoint is not available', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages'], {
      state: 'pendingAcceptance',
    });

    const result = run(ssmPath, w);

    expect(result.cause).toBe('VPC_ENDPOINT_MISSING');
    expect(result.summary).toContain(
      'Interface endpoint vpce-ssm for ssm is pendingAcceptance, not available',
    );
  });

  it('blames VPC_ENDPOINT_PRIVATE_DNS_DISABLED when private DNS is off and there is no internet path', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages'], { privateDns: false });

    const result = run(ssmPath, w);

    expect(result.cause).toBe('VPC_ENDPOINT_PRIVATE_DNS_DISABLED');
    expect(result.nextSteps?.[0]).toBe(
      'Turn on private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-ssm --private-dns-enabled',
    );
  });

  it('blames VPC_DNS_DISABLED when a VPC DNS attribute is off and there is no internet path', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages']);
    w.dns.enableDnsHostnames = false;

    const result = run(ssmPath, w);

    expect(result.cause).toBe('VPC_DNS_DISABLED');
    expect(result.summary).toContain('VPC vpc-1 has enableDnsHostnames off');
    expect(result.nextSteps?.[0]).toBe(
      `aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames '{"Value":true}'`,
    );
  });

  it('does not blame endpoints with private DNS off while a NAT path works (the endpoint is bypassed)', () => {
    const w = withEndpoints(behindNat(world()), ['ssm', 'ec2messages', 'ssmmessages'], { privateDns: false });

    const results = allPaths(w);

    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    expect(results[0]?.evidence).toMatchObject({
      path: 'internet',
      natGatewayId: 'nat-1',
      endpointBypassed: 'vpce-ssm',
    });
    expect(results[0]?.summary).toContain('vpce-ssm for ssm has private DNS off, so it is bypassed');
  });

  it('does not blame an endpoint that is not available while a NAT path works', () => {
    const w = withEndpoints(behindNat(world()), ['ssm', 'ec2messages', 'ssmmessages'], { state: 'failed' });

    const result = run(ec2messagesPath, w);

    expect(result.status).toBe('pass');
    expect(result.evidence).toMatchObject({
      path: 'internet',
      endpointBypassed: 'vpce-ec2messages',
      endpointState: 'failed',
    });
  });

  it('does not blame VPC DNS attributes that are off while the internet gateway path works', () => {
    const w = withEndpoints(world(), ['ssm', 'ec2messages', 'ssmmessages']);
    w.dns.enableDnsSupport = false;

    expect(allPaths(w).map((r) => [r.status, r.evidence.path])).toEqual([
      ['pass', 'internet'],
      ['pass', 'internet'],
      ['pass', 'internet'],
    ]);
  });

  it('uses the usable endpoint when the VPC holds another one without private DNS', () => {
    const w = withEndpoints(isolated(world()), ['ssm'], { privateDns: false });
    withEndpoints(w, ['ssm']);
    (w.endpoints[1] as { VpcEndpointId: string }).VpcEndpointId = 'vpce-ssm-2';

    expect(run(ssmPath, w).evidence).toMatchObject({ path: 'endpoint', endpointId: 'vpce-ssm-2' });
  });
});

describe('network.path.* — facts that could not be read', () => {
  it('is unknown with the reason when the route tables could not be read', () => {
    const w = world();
    w.failures.routeTables = denied('DescribeRouteTables');

    const result = run(ssmPath, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain(
      'could not read route tables (DescribeRouteTables failed with UnauthorizedOperation',
    );
  });

  it('still passes the endpoint path when the route tables could not be read', () => {
    const w = withEndpoints(world(), ['ssm', 'ec2messages', 'ssmmessages']);
    w.failures.routeTables = denied('DescribeRouteTables');

    expect(allPaths(w).map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('is unknown when the endpoints could not be read, naming what the internet path would do', () => {
    const w = world();
    w.failures.endpoints = denied('DescribeVpcEndpoints');

    const result = run(ssmPath, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('DescribeVpcEndpoints failed with UnauthorizedOperation');
    expect(result.summary).toContain('it would go through internet gateway igw-1');
  });

  it('is unknown when the endpoint looks usable but the VPC DNS attributes could not be read', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages']);
    w.failures.dnsAttributes = denied('DescribeVpcAttribute');

    const result = run(ssmPath, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('DescribeVpcAttribute failed');
  });

  it('is unknown when the subnet route table points at a NAT gateway the picture does not hold', () => {
    const w = behindNat(world());
    w.natGateways = [];

    const result = run(ssmPath, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('NAT gateway nat-1, which the network picture does not hold');
  });
});

describe('resolveServicePaths', () => {
  it('computes the paths once per facts object', () => {
    const facts = factsOf(world());

    expect(resolveServicePaths(facts)).toBe(resolveServicePaths(facts));
    expect(resolveServicePaths(factsOf(world()))).not.toBe(resolveServicePaths(facts));
  });

  it('names the hostnames of the partition', () => {
    const facts = { ...factsOf(world()), region: 'cn-north-1', partition: 'aws-cn' };

    expect(resolveServicePaths(facts).map((p) => p.hostname)).toEqual([
      'ssm.cn-north-1.amazonaws.com.cn',
      'ec2messages.cn-north-1.amazonaws.com.cn',
      'ssmmessages.cn-north-1.amazonaws.com.cn',
    ]);
  });
});
