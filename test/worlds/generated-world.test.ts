/**
 * The benchmark's world generator: deterministic, valid `ssm-doctor/world@1`, and every candidate
 * gets the root cause its scenario template was built for. DHMC is one setting per account, so no
 * single world can hold every cause: the three DHMC modes together cover the whole catalog.
 */
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES, type RootCause } from '../../lambdas/engine/causes.ts';
import { parseWorld } from '../../lambdas/sim/index.ts';
import { EXPECTED_TAG, generateWorld } from '../support/bench/generate-world.ts';
import type { DhmcMode } from '../support/bench/iam-layout.ts';
import { scanWorld } from './scan-world.ts';

const SMALL = { instances: 420, candidateShare: 0.2, vpcs: 12, roles: 24, seed: 7 } as const;

const expectedOf = (world: ReturnType<typeof generateWorld>) =>
  new Map(
    world.ec2.Instances.map((i) => [i.InstanceId, i.Tags?.find((tag) => tag.Key === EXPECTED_TAG)?.Value]),
  );

describe('generateWorld', () => {
  it('is deterministic per seed and a valid world file', () => {
    const world = generateWorld(SMALL);
    expect(generateWorld(SMALL)).toEqual(world);
    expect(generateWorld({ ...SMALL, seed: 8 }).ec2.Instances[0]?.InstanceId).not.toBe(
      world.ec2.Instances[0]?.InstanceId,
    );
    expect(() => parseWorld(JSON.parse(JSON.stringify(world)), 'generated')).not.toThrow();
  });

  it('has the requested shape: running instances, candidates, VPCs and instance profiles', () => {
    const world = generateWorld({ instances: 1_000, candidateShare: 0.1, vpcs: 50, roles: 200, seed: 1 });
    const running = world.ec2.Instances.filter((i) => i.State.Name === 'running');
    expect(running).toHaveLength(1_000);
    expect(running.filter((i) => i.Tags?.some((t) => t.Key === EXPECTED_TAG))).toHaveLength(100);
    expect(world.ec2.Vpcs).toHaveLength(50);
    expect(world.iam.InstanceProfiles).toHaveLength(200);
    expect(world.ssm.InstanceInformationList.filter((i) => i.PingStatus === 'Online')).toHaveLength(900);
  });

  const covered = new Set<RootCause>();
  it.each(['valid', 'invalid', 'off'] satisfies DhmcMode[])(
    'DHMC %s: every candidate has the root cause of its template',
    async (dhmc) => {
      const world = generateWorld({ ...SMALL, dhmc });
      const expected = expectedOf(world);
      const { report } = await scanWorld(world);
      const candidates = Math.round(SMALL.instances * SMALL.candidateShare);
      expect(report.summary).toMatchObject({
        runningInstances: SMALL.instances,
        online: SMALL.instances - candidates,
        ignored: 0,
        inGracePeriod: 0,
      });
      expect(report.findings).toHaveLength(candidates);
      const wrong = report.findings
        .filter((f) => f.rootCause !== expected.get(f.instanceId))
        .map((f) => `${f.name}: ${f.rootCause} (${f.causes.join(', ')})`);
      expect(wrong).toEqual([]);
      for (const finding of report.findings) covered.add(finding.rootCause);
    },
  );

  it('covers every cause code and UNKNOWN over the three DHMC modes', () => {
    expect([...CAUSE_CODES, 'UNKNOWN'].filter((code) => !covered.has(code as RootCause))).toEqual([]);
  });

  it('with a working DHMC (the default), covers all but the two causes that need DHMC off or broken', async () => {
    const world = generateWorld(SMALL);
    const roots = new Set(Object.values(Object.fromEntries(expectedOf(world))).filter(Boolean));
    expect([...CAUSE_CODES, 'UNKNOWN'].filter((code) => !roots.has(code))).toEqual([
      'NO_INSTANCE_PROFILE',
      'DHMC_ROLE_INVALID',
    ]);
  });
});
