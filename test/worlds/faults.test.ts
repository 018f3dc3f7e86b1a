/**
 * Reads that fail: a denied area degrades only the checks that need it to `unknown` (never a crash,
 * never a guess), throttling is retried by the SDK and changes nothing, and a denied inventory
 * fails the scan loudly instead of reporting an empty fleet.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../lambdas/sim/index.ts';
import { exampleWorld, findingOf, scanWorld } from './scan-world.ts';

type Fault = { operation: string; code: string; times?: number };
const withFaults = (world: World, faults: Fault[]): World =>
  ({ ...world, simulation: { ...world.simulation, faults } }) as World;

describe('faults while scanning sample-fleet.json', () => {
  it('a denied DescribeRouteTables makes the path checks unknown and leaves every other check answering', async () => {
    const scanned = await scanWorld(
      withFaults(await exampleWorld('sample-fleet.json'), [
        { operation: 'DescribeRouteTables', code: 'UnauthorizedOperation' },
      ]),
    );

    const web3 = findingOf(scanned, 'web-3'); // PUBLIC_IP_MISSING when routes can be read
    const path = web3.checks.find((c) => c.id === 'network.path.ssm');
    expect(path?.status).toBe('unknown');
    expect(path?.summary).toContain('UnauthorizedOperation');
    expect(web3.causes).not.toContain('PUBLIC_IP_MISSING');
    // Credentials and metadata do not depend on routes: still judged.
    // (its role can register but not open sessions: a degradation, not a root cause)
    expect(findingOf(scanned, 'legacy-app-1').degradations).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(findingOf(scanned, 'batch-worker-2').rootCause).toBe('IMDS_DISABLED');
  });

  it('a denied IAM read degrades the credential checks only', async () => {
    const scanned = await scanWorld(
      withFaults(await exampleWorld('sample-fleet.json'), [
        { operation: 'GetInstanceProfile', code: 'AccessDenied' },
      ]),
    );

    const legacy = findingOf(scanned, 'legacy-app-1');
    expect(legacy.checks.find((c) => c.id === 'iam.instance-profile')?.status).toBe('unknown');
    expect(legacy.causes).not.toContain('ROLE_MISSING_SSM_PERMISSIONS');
    expect(findingOf(scanned, 'web-3').rootCause).toBe('PUBLIC_IP_MISSING');
  });

  it('throttling is retried and the diagnosis is the same as without it', async () => {
    const world = await exampleWorld('sample-fleet.json');
    const calm = await scanWorld(world);
    const throttled = await scanWorld(
      withFaults(world, [
        { operation: 'DescribeSecurityGroups', code: 'RequestLimitExceeded', times: 2 },
        { operation: 'ListAttachedRolePolicies', code: 'Throttling', times: 1 },
      ]),
    );

    const brief = (r: typeof calm) => r.report.findings.map((f) => [f.instanceId, f.causes]);
    expect(brief(throttled)).toEqual(brief(calm));
    expect(throttled.account.callCounts()['ec2:DescribeSecurityGroups']).toBe(
      (calm.account.callCounts()['ec2:DescribeSecurityGroups'] ?? 0) + 2,
    );
  }, 30_000);

  it('a denied inventory fails the scan with the code instead of reporting an empty fleet', async () => {
    const world = withFaults(await exampleWorld('sample-fleet.json'), [
      { operation: 'DescribeInstances', code: 'UnauthorizedOperation' },
    ]);
    await expect(scanWorld(world)).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
