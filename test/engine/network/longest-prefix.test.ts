/**
 * Routing by longest prefix match: the routes that together cover 0.0.0.0/0 are the internet
 * route; mixed outcomes are a warn naming the other routes; an Elastic IP on the interface is a
 * public IPv4; rules whose CIDRs are wholly non-public never reach a public service address.
 */
import type { Route } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { servicePathChecks } from '../../../lambdas/engine/checks/network/path-checks.ts';
import { internetRoutesOf } from '../../../lambdas/engine/checks/network/routes.ts';
import { securityGroupEgressCheck } from '../../../lambdas/engine/checks/network/security-group-egress.ts';
import { behindNat, routeTable, run, tcp, world } from './fixtures.ts';

const ssmPath = servicePathChecks[0];
if (!ssmPath) throw new Error('no network.path.ssm check');

const split = (first: Partial<Route>, second: Partial<Route>) => {
  const w = world();
  const table = routeTable('rtb-main', 'main');
  table.Routes?.push(
    { DestinationCidrBlock: '0.0.0.0/1', State: 'active', ...first },
    { DestinationCidrBlock: '128.0.0.0/1', State: 'active', ...second },
  );
  w.routeTables = [table];
  return w;
};

describe('longest prefix match', () => {
  it('0.0.0.0/1 + 128.0.0.0/1 to an internet gateway is a path (the VPN-style split)', () => {
    const outcome = run(ssmPath, split({ GatewayId: 'igw-1' }, { GatewayId: 'igw-1' }));

    expect(outcome.status).toBe('pass');
    expect(outcome.evidence.internetRoutes).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
  });

  it('a split whose halves lead to different outcomes is a warn naming the other route', () => {
    const outcome = run(ssmPath, split({ GatewayId: 'igw-1' }, { TransitGatewayId: 'tgw-1' }));

    expect(outcome.status).toBe('warn');
    expect(outcome.summary).toContain('128.0.0.0/1 → tgw-1');
  });

  it('half a split is a warn naming the uncovered block, not a ROUTE_MISSING', () => {
    const w = world();
    const table = routeTable('rtb-main', 'main');
    table.Routes?.push({ DestinationCidrBlock: '0.0.0.0/1', GatewayId: 'igw-1', State: 'active' });
    w.routeTables = [table];

    const outcome = run(ssmPath, w);

    expect(outcome.status).toBe('warn');
    expect(outcome.summary).toContain('128.0.0.0/1 → no route');
  });

  it('a split whose halves are both blackholes is ROUTE_BLACKHOLE with a fix per route', () => {
    const outcome = run(
      ssmPath,
      split({ GatewayId: 'igw-gone', State: 'blackhole' }, { GatewayId: 'igw-gone', State: 'blackhole' }),
    );

    expect(outcome).toMatchObject({ status: 'fail', cause: 'ROUTE_BLACKHOLE' });
    expect(outcome.nextSteps?.join(' ')).toContain('--destination-cidr-block 128.0.0.0/1');
  });

  it('the private ranges left uncovered are not gaps (no public address lives there)', () => {
    const { gaps } = internetRoutesOf({
      Routes: [
        { DestinationCidrBlock: '0.0.0.0/1', GatewayId: 'igw-1' },
        { DestinationCidrBlock: '128.0.0.0/2', GatewayId: 'igw-1' },
        { DestinationCidrBlock: '192.0.0.0/3', GatewayId: 'igw-1' },
      ],
    });
    // 224.0.0.0/3 is multicast and reserved: no route needed there.
    expect(gaps).toEqual([]);
  });
});

describe('Elastic IPs and non-public CIDRs', () => {
  it('an Elastic IP on the primary interface counts as the public IPv4', () => {
    const w = world();
    w.candidate.instance.PublicIpAddress = undefined;
    w.candidate.instance.NetworkInterfaces = [
      {
        Attachment: { DeviceIndex: 0 },
        PrivateIpAddresses: [
          { Primary: true, PrivateIpAddress: '10.0.1.10', Association: { PublicIp: '52.1.2.3' } },
        ],
      },
    ];

    expect(run(ssmPath, w).status).toBe('pass');
  });

  it.each(['10.0.0.0/8', '192.0.2.0/24', '198.51.100.0/24'])(
    'egress 443 only to %s cannot reach a public service address: blocked, not "may allow"',
    (cidr) => {
      const w = world();
      const group = w.securityGroups[0];
      if (group) group.IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: cidr }] })];

      expect(run(securityGroupEgressCheck, w)).toMatchObject({
        status: 'fail',
        cause: 'SECURITY_GROUP_EGRESS_BLOCKED',
      });
    },
  );
});

describe('private NAT gateways', () => {
  it('a private NAT whose subnet routes to an internet gateway cannot reach the internet', () => {
    const w = behindNat(world(), { ConnectivityType: 'private' });

    expect(run(ssmPath, w)).toMatchObject({ status: 'fail', cause: 'NAT_GATEWAY_UNAVAILABLE' });
  });

  it('a private NAT whose subnet routes on to a transit gateway is centralized egress: unknown, what to verify', () => {
    const w = behindNat(world(), { ConnectivityType: 'private' });
    // The NAT's subnet (on the main table) sends everything to the hub.
    w.routeTables[0] = routeTable('rtb-main', 'main', { TransitGatewayId: 'tgw-hub' });

    const outcome = run(ssmPath, w);

    expect(outcome.status).toBe('unknown');
    expect(outcome.nextSteps?.join(' ')).toContain('tgw-hub');
  });
});
