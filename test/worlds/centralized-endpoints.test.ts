/**
 * Centralized endpoints (DESIGN.md "Diagnosis"): the SSM names answered in a spoke VPC by a
 * private hosted zone or a Resolver rule. A hub endpoint this account can see is followed; what
 * it cannot see is a warn saying what to verify, never VPC_ENDPOINT_MISSING or ROUTE_MISSING.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { recordWorld } from '../../lambdas/aws/record.ts';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { parseWorld } from '../../lambdas/sim/world.ts';
import { exampleWorld, scanWorld } from './scan-world.ts';

const check = (finding: Finding | undefined, id: string) => {
  const found = finding?.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

async function scanned(file: string, edit?: (world: Awaited<ReturnType<typeof exampleWorld>>) => void) {
  const world = await exampleWorld(file);
  edit?.(world);
  const result = await scanWorld(world);
  return { ...result, finding: result.report.findings[0] };
}

describe('a private hosted zone pointing at a hub endpoint', () => {
  it('reached through the transit gateway: every path passes, no endpoint or route cause', async () => {
    const { finding, report, account } = await scanned('hub-spoke-phz.json');
    expect(finding?.causes).toEqual([]);
    expect(finding?.degradations ?? []).toEqual([]);
    for (const service of ['ssm', 'ec2messages', 'ssmmessages']) {
      const path = check(finding, `network.path.${service}`);
      expect(path.status).toBe('pass');
      expect(path.summary).toContain('vpc-0b2b2b2b2b2b2b2b2');
      expect(path.summary).toContain('tgw-0123456789abcdef0');
    }
    expect(check(finding, 'network.endpoint-security-group-ingress').status).toBe('pass');
    expect(check(finding, 'network.nacl').status).toBe('pass');
    expect(report.errors).toEqual([]);
    // Read per VPC and per zone, never per instance.
    const calls = account.callCounts();
    expect(calls['route53:ListHostedZonesByVPC']).toBe(1);
    expect(calls['route53:ListResourceRecordSets']).toBe(3);
    expect(calls['route53resolver:ListResolverRules']).toBe(1);
    expect(calls['route53resolver:ListResolverRuleAssociations']).toBe(1);
  });

  it("whose security group does not admit the spoke: blocks with the endpoint's ingress code", async () => {
    const { finding } = await scanned('hub-spoke-phz-sg-blocked.json');
    expect(finding?.rootCause).toBe('ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED');
    const ingress = check(finding, 'network.endpoint-security-group-ingress');
    expect(ingress.status).toBe('fail');
    expect(ingress.summary).toContain('sg-0b2b2b2b2b2b2b2b2');
    expect(finding?.causes).not.toContain('VPC_ENDPOINT_MISSING');
  });

  it('with no route from the spoke towards the hub: ROUTE_MISSING naming the endpoint address', async () => {
    const { finding } = await scanned('hub-spoke-phz.json', (world) => {
      const spoke = world.ec2.RouteTables.find((t) => t.VpcId === 'vpc-0a1a1a1a1a1a1a1a1');
      if (spoke) spoke.Routes = (spoke.Routes ?? []).filter((r) => r.GatewayId === 'local');
    });
    expect(finding?.rootCause).toBe('ROUTE_MISSING');
    expect(check(finding, 'network.path.ssm').summary).toContain('no route covering 10.0.1.10');
  });

  it('pointing at an endpoint of another account: a warn saying what to verify there', async () => {
    const { finding } = await scanned('hub-spoke-phz-other-account.json');
    expect(finding?.causes).toEqual([]);
    const path = check(finding, 'network.path.ssm');
    expect(path.status).toBe('warn');
    expect(path.summary).toContain('vpce-0f9f9f9f9f9f9f9f9');
    expect(path.summary).toContain('not in this account');
    expect(path.summary).toMatch(
      /verify in the account that owns .*security groups allow TCP 443 from subnet/,
    );
  });

  it('when the zones cannot be read: unknown with a run error naming the API, never a cause', async () => {
    const { finding, report } = await scanned('hub-spoke-phz.json', (world) => {
      world.simulation.faults.push({ operation: 'ListHostedZonesByVPC', code: 'AccessDenied' });
    });
    expect(finding?.causes).toEqual([]);
    expect(check(finding, 'network.path.ssm').status).toBe('unknown');
    expect(report.errors.map((e) => e.api)).toContain('route53:ListHostedZonesByVPC');
  });
});

describe('what a zone may answer', () => {
  it('an A record with the hub endpoint address is followed to that endpoint', async () => {
    const { finding, account } = await scanned('hub-spoke-phz.json', (world) => {
      const zone = world.route53.HostedZones[0];
      if (zone?.ResourceRecordSets?.[0])
        zone.ResourceRecordSets[0] = {
          Name: 'ssm.eu-west-1.amazonaws.com.',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '10.0.1.10' }],
        };
    });
    const ssm = check(finding, 'network.path.ssm');
    expect(ssm.status).toBe('pass');
    expect(ssm.summary).toContain('vpce-0c1c1c1c1c1c1c1c1');
    expect(check(finding, 'network.endpoint-security-group-ingress').status).toBe('pass');
    // The address is located with one DescribeNetworkInterfaces for the batch, beside the endpoints' own.
    expect(account.callCounts()['ec2:DescribeNetworkInterfaces']).toBe(2);
  });

  it('a zone for the whole region answering only ssm leaves the other names to their own paths', async () => {
    const { finding } = await scanned('hub-spoke-phz.json', (world) => {
      const [ssmZone] = world.route53.HostedZones;
      if (ssmZone) world.route53.HostedZones = [{ ...ssmZone, Name: 'eu-west-1.amazonaws.com.' }];
    });
    expect(check(finding, 'network.path.ssm').status).toBe('pass');
    // ssmmessages: no endpoint in the spoke, a transit-gateway default it cannot follow.
    expect(check(finding, 'network.path.ssmmessages').summary).not.toContain('private hosted zone');
  });

  it('a Resolver rule for the same domain as a zone wins over it', async () => {
    const { finding } = await scanned('hub-spoke-phz.json', (world) => {
      world.route53resolver.ResolverRules.push({
        Id: 'rslvr-rr-0same000000000000',
        DomainName: 'ssm.eu-west-1.amazonaws.com',
        RuleType: 'FORWARD',
        TargetIps: [{ Ip: '192.168.10.2' }],
      });
      world.route53resolver.ResolverRuleAssociations.push({
        ResolverRuleId: 'rslvr-rr-0same000000000000',
        VPCId: 'vpc-0a1a1a1a1a1a1a1a1',
      });
    });
    const ssm = check(finding, 'network.path.ssm');
    expect(ssm.status).toBe('warn');
    expect(ssm.summary).toContain('rslvr-rr-0same000000000000');
    expect(check(finding, 'network.path.ssmmessages').status).toBe('pass');
  });
});

describe('a Resolver FORWARD rule sending the names to on-premises resolvers', () => {
  it('is a warn naming the rule, its targets and what to verify', async () => {
    const { finding } = await scanned('hub-spoke-resolver-forward.json');
    expect(finding?.causes).toEqual([]);
    for (const service of ['ssm', 'ec2messages', 'ssmmessages']) {
      const path = check(finding, `network.path.${service}`);
      expect(path.status).toBe('warn');
      expect(path.summary).toContain('rslvr-rr-0a1b2c3d4e5f60718');
      expect(path.summary).toContain('192.168.10.2:53');
      expect(path.summary).toContain('verify there');
    }
  });

  it('gives way to a more specific SYSTEM rule, which leaves the name to the VPC', async () => {
    const { finding } = await scanned('hub-spoke-resolver-forward.json', (world) => {
      world.route53resolver.ResolverRules.push({
        Id: 'rslvr-rr-0system0000000000',
        DomainName: 'ssm.eu-west-1.amazonaws.com.',
        RuleType: 'SYSTEM',
      });
      world.route53resolver.ResolverRuleAssociations.push({
        ResolverRuleId: 'rslvr-rr-0system0000000000',
        VPCId: 'vpc-0a1a1a1a1a1a1a1a1',
      });
    });
    // ssm is judged on the spoke's own routes again (here: a transit gateway it cannot follow).
    const ssm = check(finding, 'network.path.ssm');
    expect(ssm.summary).not.toContain('rslvr-rr-0a1b2c3d4e5f60718');
    expect(ssm.summary).toContain('tgw-0123456789abcdef0');
    expect(check(finding, 'network.path.ssmmessages').status).toBe('warn');
  });
});

describe('DNS attributes read only where they can matter', () => {
  it('reads enableDnsHostnames only in VPCs whose private names depend on it', async () => {
    const forward = await scanned('hub-spoke-resolver-forward.json');
    // No zone answers and no endpoint of the spoke has private DNS: enableDnsSupport only.
    expect(forward.account.callCounts()['ec2:DescribeVpcAttribute']).toBe(1);
    const zoned = await scanned('hub-spoke-phz.json');
    expect(zoned.account.callCounts()['ec2:DescribeVpcAttribute']).toBe(2);
    expect(check(forward.finding, 'network.dns').status).toBe('pass');
  });
});

describe('record', () => {
  it('writes the zones, their VPCs and records, and the Resolver rules, so the recording scans the same', async () => {
    for (const file of ['hub-spoke-phz-sg-blocked.json', 'hub-spoke-resolver-forward.json']) {
      const original = await exampleWorld(file);
      const account = new SimulatedAccount(original);
      const recorded = parseWorld(
        JSON.parse(
          JSON.stringify(
            await recordWorld(
              createClients({ region: original.region, simulated: account, retry: 'immediate' }),
              { accountId: original.accountId, partition: 'aws' },
              account.now(),
            ),
          ),
        ),
        'recorded',
      );
      expect(recorded.route53.HostedZones.map((z) => [z.Id, z.VPCs, z.ResourceRecordSets?.length])).toEqual(
        original.route53.HostedZones.map((z) => [
          z.Id.replace('/hostedzone/', ''),
          z.VPCs,
          z.ResourceRecordSets?.length,
        ]),
      );
      expect(recorded.route53resolver.ResolverRules.map((r) => [r.Id, r.DomainName, r.TargetIps])).toEqual(
        original.route53resolver.ResolverRules.map((r) => [r.Id, r.DomainName, r.TargetIps]),
      );
      const before = (await scanWorld(original)).report.findings[0];
      const after = (await scanWorld(recorded)).report.findings[0];
      expect(after?.causes).toEqual(before?.causes);
      expect(after?.checks.map((c) => [c.id, c.status])).toEqual(before?.checks.map((c) => [c.id, c.status]));
    }
  });
});
