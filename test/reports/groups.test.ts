/** Root-cause groups on worlds: one blocking resource and one fix, however many instances. */
import { describe, expect, it } from 'vitest';
import { groupsHeadline } from '../../lambdas/engine/groups.ts';
import { generateWorld } from '../support/bench/generate-world.ts';
import { exampleWorld, scanWorld } from '../worlds/scan-world.ts';

describe('root-cause groups', () => {
  it('groups no degradation: the shared role of the sample fleet lacks only the session actions', async () => {
    // legacy-app-role still registers its instances (revised contract: a degrading defect is no root
    // cause), and no other root cause of the sample fleet is shared by two instances.
    const { report } = await scanWorld(await exampleWorld('sample-fleet.json'));
    expect(report.groups).toEqual([]);
  });

  it('names the remediation that applies a group when it will run, and the command when it will not', async () => {
    const world = generateWorld({ instances: 2_000, candidateShare: 0.1, vpcs: 10, roles: 12, seed: 3 });
    const planned = await scanWorld(world);
    const off = await scanWorld(world, { remediationMode: 'off' });
    const role = (r: typeof planned) =>
      r.report.groups.find((g) => g.cause === 'ROLE_MISSING_SSM_PERMISSIONS');
    expect(role(planned)?.fix).toBe('attach-core-policy');
    expect(role(off)?.fix).toMatch(
      /^aws iam attach-role-policy --role-name \S+ --policy-arn arn:aws:iam::aws:policy\/AmazonSSMManagedInstanceCore/,
    );
  });

  it('on a generated region: largest first, each group one cause, resource and fix, no group of one', async () => {
    const world = generateWorld({ instances: 2_000, candidateShare: 0.1, vpcs: 10, roles: 12, seed: 3 });
    const { report } = await scanWorld(world);
    const byId = new Map(report.findings.map((f) => [f.instanceId, f]));

    expect(report.groups.length).toBeGreaterThan(3);
    const sizes = report.groups.map((g) => g.instanceIds.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2);
    const grouped = report.groups.flatMap((g) => g.instanceIds);
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const group of report.groups) {
      for (const id of group.instanceIds) expect(byId.get(id)?.rootCause).toBe(group.cause);
    }
    const endpoint = report.groups.find((g) => g.cause === 'VPC_ENDPOINT_MISSING');
    expect(endpoint?.resource).toMatch(/^vpc-/);
    expect(endpoint?.fix).toMatch(/^aws ec2 create-vpc-endpoint --vpc-id vpc-/);
    const dns = report.groups.find((g) => g.cause === 'VPC_DNS_DISABLED');
    expect(dns?.fix).toContain(`--vpc-id ${dns?.resource}`);
    // Per-instance causes are never grouped.
    expect(report.groups.map((g) => g.cause)).not.toContain('PUBLIC_IP_MISSING');
    expect(groupsHeadline(report.groups, report.findings.length)).toBe(
      `${report.groups.length} root causes explain ${grouped.length} of ${report.findings.length} unmanaged instances.`,
    );
  });
});
