/**
 * IPv6-only subnets are judged on IPv6: `::/0` routes, an IPv6 address for an internet gateway,
 * dual-stack endpoints, the IPv6 metadata endpoint; what only the agent's configuration knows is
 * a warn; IPv4 rules are never applied (the rule checks say what to verify instead).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../lambdas/engine/diagnose.ts';
import { factsOf, routeTable, withEndpoints, world } from './fixtures.ts';

function ipv6Only(route?: Record<string, unknown>) {
  const w = world();
  w.candidate.instance.PublicIpAddress = undefined;
  w.candidate.instance.PrivateIpAddress = undefined;
  w.candidate.instance.MetadataOptions = {
    HttpEndpoint: 'enabled',
    HttpTokens: 'required',
    HttpProtocolIpv6: 'enabled',
  };
  w.subnets = [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', Ipv6Native: true }];
  const table = routeTable('rtb-main', 'main');
  table.Routes = route ? [{ DestinationIpv6CidrBlock: '::/0', State: 'active', ...route }] : [];
  w.routeTables = [table];
  return w;
}
const check = (finding: ReturnType<typeof diagnose>, id: string) => finding.checks.find((c) => c.id === id);

describe('IPv6-only subnets', () => {
  it('an egress-only internet gateway on ::/0 is a path, with a warn about the agent dual-stack setting', () => {
    const finding = diagnose(factsOf(ipv6Only({ EgressOnlyInternetGatewayId: 'eigw-1' })));
    const path = check(finding, 'network.path.ssm');

    expect(path?.status).toBe('warn');
    expect(path?.summary).toContain('3.3.3270.0');
    expect(finding.causes).not.toContain('ROUTE_MISSING');
    // IPv4 rules are not applied to an IPv6-only instance.
    expect(check(finding, 'network.security-group-egress')?.status).toBe('unknown');
  });

  it('no route covering ::/0 is ROUTE_MISSING (an IPv4 0.0.0.0/0 would not help)', () => {
    const w = ipv6Only();
    w.routeTables[0]?.Routes?.push({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: 'igw-1',
      State: 'active',
    });

    expect(diagnose(factsOf(w)).causes).toContain('ROUTE_MISSING');
  });

  it('an internet gateway needs an IPv6 address on the instance', () => {
    expect(diagnose(factsOf(ipv6Only({ GatewayId: 'igw-1' }))).causes).toContain('PUBLIC_IP_MISSING');
  });

  it('an IPv4-only interface endpoint does not serve it; a dual-stack one does', () => {
    const v4 = withEndpoints(ipv6Only(), ['ssm', 'ec2messages', 'ssmmessages']);
    expect(diagnose(factsOf(v4)).causes).toContain('VPC_ENDPOINT_MISSING');

    const dual = withEndpoints(ipv6Only(), ['ssm', 'ec2messages', 'ssmmessages']);
    for (const endpoint of dual.endpoints) endpoint.IpAddressType = 'dualstack';
    expect(check(diagnose(factsOf(dual)), 'network.path.ssm')?.status).toBe('warn');
  });

  it('the IPv6 metadata endpoint off is IMDS_DISABLED', () => {
    const w = ipv6Only({ EgressOnlyInternetGatewayId: 'eigw-1' });
    w.candidate.instance.MetadataOptions = {
      HttpEndpoint: 'enabled',
      HttpTokens: 'required',
      HttpProtocolIpv6: 'disabled',
    };

    expect(diagnose(factsOf(w)).causes).toContain('IMDS_DISABLED');
  });
});
