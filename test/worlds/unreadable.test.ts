/**
 * Unreadable is not "nothing blocking": for every read a scan makes, denying it for the whole area
 * puts a run-level error in the report naming that API, and no finding that needed it says
 * "nothing blocking"; its first next step (when nothing else explains it) is to fix that read.
 * An outage is not a diagnosis: it fails the scan.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../lambdas/engine/explain.ts';
import type { World } from '../../lambdas/sim/index.ts';
import { exampleWorld, scanWorld } from './scan-world.ts';

type Fault = { operation: string; code: string; times?: number };
const withFaults = (world: World, faults: Fault[]): World =>
  ({ ...world, simulation: { ...world.simulation, faults } }) as World;

const READS: [string, string, string][] = [
  ['sample-fleet.json', 'ec2:DescribeVpcs', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeSubnets', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeRouteTables', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeInternetGateways', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeNatGateways', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeVpcEndpoints', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeNetworkInterfaces', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeSecurityGroups', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeNetworkAcls', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeDhcpOptions', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeVpcAttribute', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeInstanceStatus', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:DescribeImages', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'ec2:GetConsoleOutput', 'UnauthorizedOperation'],
  ['sample-fleet.json', 'iam:GetInstanceProfile', 'AccessDenied'],
  ['sample-fleet.json', 'iam:ListAttachedRolePolicies', 'AccessDenied'],
  ['sample-fleet.json', 'iam:SimulatePrincipalPolicy', 'AccessDenied'],
  ['sample-fleet.json', 'ssm:GetServiceSetting', 'AccessDeniedException'],
  ['sample-fleet.json', 'ec2:DescribeRouteTables', 'RequestLimitExceeded'],
  ['dhmc-invalid-role.json', 'iam:GetRole', 'AccessDenied'],
  ['sample-fleet.json', 'route53:ListHostedZonesByVPC', 'AccessDenied'],
  ['sample-fleet.json', 'route53resolver:ListResolverRules', 'AccessDeniedException'],
  ['sample-fleet.json', 'route53resolver:ListResolverRuleAssociations', 'ThrottlingException'],
  ['hub-spoke-phz.json', 'route53:ListResourceRecordSets', 'AccessDenied'],
];

describe('a read denied for the whole area', () => {
  it.each(READS)('%s: %s %s is a run-level error and never "nothing blocking"', async (name, api, code) => {
    const scanned = await scanWorld(withFaults(await exampleWorld(name), [{ operation: api, code }]), {
      enforceImdsV2: true,
    });
    const { report } = scanned;
    expect(scanned.account.callCounts()[api], `${api} was called`).toBeGreaterThan(0);
    expect(report.errors).toContainEqual(expect.objectContaining({ api, code }));
    const affected = report.findings.filter((f) => f.unreadable?.some((r) => r.api === api));
    expect(affected.length).toBeGreaterThan(0);
    for (const finding of affected) {
      expect(finding.nextSteps.join('\n')).not.toMatch(/nothing blocking/i);
      expect(explain(finding)).not.toMatch(/nothing blocking/i);
      if (finding.rootCause === 'UNKNOWN') expect(finding.nextSteps[0]).toContain(api);
    }
  });

  it('with DescribeVpcs denied, the DNS check is unknown rather than a guess about DHCP options', async () => {
    const scanned = await scanWorld(
      withFaults(await exampleWorld('sample-fleet.json'), [
        { operation: 'DescribeVpcs', code: 'UnauthorizedOperation' },
      ]),
    );
    const dns = scanned.report.findings.flatMap((f) => f.checks.filter((c) => c.id === 'network.dns'));
    expect(dns.length).toBeGreaterThan(0);
    expect(dns.every((c) => c.status === 'unknown')).toBe(true);
  });
});

describe('an outage', () => {
  it.each([
    ['DescribeRouteTables', 'InternalError'],
    ['GetInstanceProfile', 'ServiceFailure'],
    ['GetServiceSetting', 'InternalServerError'],
    ['DescribeSecurityGroups', 'ServiceUnavailable'],
  ])('%s failing with %s fails the scan instead of making findings UNKNOWN', async (operation, code) => {
    const world = withFaults(await exampleWorld('sample-fleet.json'), [{ operation, code }]);
    await expect(scanWorld(world)).rejects.toMatchObject({ $fault: 'server' });
  });
});
