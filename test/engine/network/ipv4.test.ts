import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  isNonPublicCidr,
  isWholeInternet,
  parseIpv4,
  resolverAddress,
} from '../../../lambdas/engine/checks/network/ipv4.ts';

describe('ipv4', () => {
  it('parses dotted quads and rejects anything else', () => {
    expect(parseIpv4('10.0.1.10')).toBe(167772426);
    expect(parseIpv4('255.255.255.255')).toBe(4294967295);
    expect(parseIpv4('256.0.0.1')).toBeUndefined();
    expect(parseIpv4('2001:db8::1')).toBeUndefined();
  });

  it('tells whether a CIDR holds an address, including /0 and /32', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.255.1')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.1')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(cidrContains('10.0.1.10/32', '10.0.1.10')).toBe(true);
    expect(cidrContains('10.0.1.10/32', '10.0.1.11')).toBe(false);
    expect(cidrContains('::/0', '10.0.1.10')).toBe(false);
  });

  it('knows the whole internet and the private ranges', () => {
    expect(isWholeInternet('0.0.0.0/0')).toBe(true);
    expect(isWholeInternet('52.0.0.0/8')).toBe(false);
    expect(isNonPublicCidr('10.20.0.0/16')).toBe(true);
    expect(isNonPublicCidr('172.16.0.0/12')).toBe(true);
    expect(isNonPublicCidr('172.0.0.0/8')).toBe(false);
    expect(isNonPublicCidr('52.94.0.0/16')).toBe(false);
  });

  it('finds the Route 53 Resolver at the VPC base plus two', () => {
    expect(resolverAddress('10.0.0.0/16')).toBe('10.0.0.2');
    expect(resolverAddress('172.31.0.0/16')).toBe('172.31.0.2');
  });
});
