import { describe, expect, it } from 'vitest';
import { CAUSE_CODES } from '../../../lambdas/engine/causes.ts';
import { networkChecks } from '../../../lambdas/engine/checks/network/index.ts';
import type { NetworkPicture } from '../../../lambdas/engine/facts.ts';
import { behindNat, denied, factsOf, routeTable, withEndpoints, world } from './fixtures.ts';

const evaluateAll = (w: ReturnType<typeof world>) =>
  networkChecks.flatMap((check) => check.evaluate(factsOf(w)));

describe('networkChecks', () => {
  it('lists the checks in report order, each reading the network picture (the paths also who answers the names)', () => {
    expect(networkChecks.map((check) => check.id)).toEqual([
      'network.path.ssm',
      'network.path.ec2messages',
      'network.path.ssmmessages',
      'network.security-group-egress',
      'network.endpoint-security-group-ingress',
      'network.nacl',
      'network.dns',
    ]);
    expect(networkChecks.map((check) => check.reads.join())).toEqual([
      ...Array(3).fill('network,privateDns'),
      ...Array(4).fill('network'),
    ]);
  });

  it('answers unknown or skip, never throws, when every part of the picture failed to read', () => {
    const w = withEndpoints(world(), ['ssm']);
    for (const part of Object.keys(factsOf(w).network) as (keyof NetworkPicture)[])
      w.failures[part] = denied(`Read:${part}`);

    const results = evaluateAll(w);

    expect(results.map((r) => r.status)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'skip',
      'unknown',
      'unknown',
    ]);
    expect(results.every((r) => r.cause === undefined)).toBe(true);
  });

  it('passes everything on a private subnet behind a working NAT gateway', () => {
    expect(evaluateAll(behindNat(world())).map((r) => r.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'skip',
      'pass',
      'pass',
    ]);
  });

  it('still checks security groups and ACLs as internet traffic behind a transit gateway route', () => {
    const w = world();
    w.candidate.instance.PublicIpAddress = undefined;
    w.routeTables = [routeTable('rtb-main', 'main', { TransitGatewayId: 'tgw-1' })];
    (w.securityGroups[0] as { IpPermissionsEgress: unknown[] }).IpPermissionsEgress = [];

    const results = evaluateAll(w);

    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['network.path.ssm', 'unknown'],
      ['network.path.ec2messages', 'unknown'],
      ['network.path.ssmmessages', 'unknown'],
      ['network.security-group-egress', 'fail'],
      ['network.endpoint-security-group-ingress', 'skip'],
      ['network.nacl', 'pass'],
      ['network.dns', 'pass'],
    ]);
    expect(results[3]?.cause).toBe('SECURITY_GROUP_EGRESS_BLOCKED');
  });

  it('puts a cause on every fail and none elsewhere, and gives every fail a next step', () => {
    const w = withEndpoints(world(), ['ssm']);
    w.candidate.instance.PublicIpAddress = undefined;

    const results = evaluateAll(w);
    const fails = results.filter((r) => r.status === 'fail');

    expect(fails.map((r) => r.cause)).toEqual(['VPC_ENDPOINT_MISSING', 'VPC_ENDPOINT_MISSING']);
    expect(fails.every((r) => CAUSE_CODES.includes(r.cause as never) && (r.nextSteps?.length ?? 0) > 0)).toBe(
      true,
    );
    expect(results.filter((r) => r.status !== 'fail').every((r) => r.cause === undefined)).toBe(true);
  });
});
