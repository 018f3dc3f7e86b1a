import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorld } from '../../lambdas/sim/world.ts';
import { applyOn, planOn, settingsFor, simulate } from './harness.ts';

const SAMPLE = 'examples/worlds/sample-fleet.json';

describe.skipIf(!existsSync(SAMPLE))('the sample fleet', () => {
  it('leaves nothing to fix after one run, and the scripted recoveries drop out of the next scan', async () => {
    const world = await loadWorld(SAMPLE);
    const profile = world.iam.InstanceProfiles[0]?.InstanceProfileName ?? 'ec2-ssm-core';
    const sim = simulate(world);
    const settings = settingsFor({ enforceImdsV2: true });
    const report = await planOn(sim, settings);

    const { findings, counts } = await applyOn(sim, report, { instanceProfile: profile });

    expect(counts.applied).toBeGreaterThan(0);
    expect(counts.failed).toBe(0);
    const fixed = findings
      .filter((f) => f.remediations.some((r) => r.status === 'applied'))
      .map((f) => f.instanceId);
    const recovered = fixed.filter((id) => world.simulation.onlineAfterFix.includes(id));
    const rescan = await planOn(simulate(sim.account.snapshot()), {
      ...settings,
      remediationMode: 'dry-run',
    });
    const stillPlanned = rescan.findings.filter((f) => f.remediations.some((r) => r.status === 'planned'));
    expect(stillPlanned.map((f) => f.instanceId)).toEqual([]);
    expect(recovered.length).toBeGreaterThan(0);
    for (const id of recovered) expect(rescan.findings.map((f) => f.instanceId)).not.toContain(id);
  });
});
