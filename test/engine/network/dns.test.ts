import { describe, expect, it } from 'vitest';
import { dnsCheck } from '../../../lambdas/engine/checks/network/dns.ts';
import { denied, run, withEndpoints, world } from './fixtures.ts';

describe('network.dns', () => {
  it('passes when the DHCP options hand out AmazonProvidedDNS and DNS support is on', () => {
    const result = run(dnsCheck, world());

    expect(result.status).toBe('pass');
    expect(result.summary).toBe('VPC vpc-1 hands out the Amazon DNS server (DHCP options dopt-1).');
    expect(result.evidence).toMatchObject({
      domainNameServers: ['AmazonProvidedDNS'],
      resolverAddress: '10.0.0.2',
    });
  });

  it('passes when the DHCP options name the Route 53 Resolver address itself', () => {
    const w = world();
    w.dhcpOptions = {
      DhcpOptionsId: 'dopt-2',
      DhcpConfigurations: [{ Key: 'domain-name-servers', Values: [{ Value: '10.0.0.2' }] }],
    };

    expect(run(dnsCheck, w).status).toBe('pass');
  });

  it('warns that custom DNS servers must forward to the Resolver at the VPC +2 address', () => {
    const w = world();
    w.dhcpOptions = {
      DhcpOptionsId: 'dopt-corp',
      DhcpConfigurations: [
        { Key: 'domain-name-servers', Values: [{ Value: '192.168.10.5' }, { Value: '192.168.10.6' }] },
      ],
    };

    const result = run(dnsCheck, w);

    expect(result.status).toBe('warn');
    expect(result.cause).toBeUndefined();
    expect(result.summary).toContain(
      'DHCP options dopt-corp of VPC vpc-1 hand out custom DNS servers 192.168.10.5, 192.168.10.6 instead of AmazonProvidedDNS',
    );
    expect(result.summary).toContain('forward to the Route 53 Resolver at 10.0.0.2');
    expect(result.nextSteps?.[0]).toContain(
      'Make 192.168.10.5, 192.168.10.6 forward amazonaws.com queries to the Route 53 Resolver at 10.0.0.2',
    );
  });

  it('warns when the VPC has no DHCP options set', () => {
    const w = world();
    w.dhcpOptions = undefined;

    const result = run(dnsCheck, w);

    expect(result.status).toBe('warn');
    expect(result.summary).toContain('VPC vpc-1 has no DHCP options set');
  });

  it('warns when enableDnsSupport is off while DHCP uses AmazonProvidedDNS', () => {
    const w = world();
    w.dns.enableDnsSupport = false;

    const result = run(dnsCheck, w);

    expect(result.status).toBe('warn');
    expect(result.summary).toContain(
      'VPC vpc-1 has enableDnsSupport off, so the Amazon DNS server does not answer',
    );
    expect(result.nextSteps).toEqual([
      `aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-support '{"Value":true}'`,
    ]);
  });

  it('is unknown with the reason when the DHCP options could not be read', () => {
    const w = world();
    w.failures.dhcpOptions = denied('DescribeDhcpOptions');

    const result = run(dnsCheck, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('DescribeDhcpOptions failed with UnauthorizedOperation');
  });

  it('is unknown when the DNS attributes of a VPC with SSM endpoints could not be read', () => {
    const w = withEndpoints(world(), ['ssm']);
    w.failures.dnsAttributes = denied('DescribeVpcAttribute');

    expect(run(dnsCheck, w).status).toBe('unknown');
  });

  it('passes when the DNS attributes were not read because the VPC has no SSM endpoints', () => {
    const w = world();
    w.failures.dnsAttributes = denied('DescribeVpcAttribute');

    const result = run(dnsCheck, w);

    expect(result.status).toBe('pass');
    expect(String(result.evidence.enableDnsSupport)).toContain('DescribeVpcAttribute failed');
  });
});
