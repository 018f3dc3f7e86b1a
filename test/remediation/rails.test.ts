import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { applyOn, findingOf, outcomes, planOn, settingsFor, simulate, writes } from './harness.ts';
import { buildWorld, type WorldSpec } from './worlds.ts';

const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `i-000000000000000${x}0`);
const [A, B, C, D] = ids as [string, string, string, string];

/** Planned fixes as `fix@target` in plan order, and what happened to them. */
const planned = (findings: readonly Finding[]) =>
  findings.flatMap((f) => f.remediations.map((r) => ({ key: `${f.instanceId}:${r.id}@${r.target}`, r })));

describe('rails', () => {
  it('applies exactly what dry-run plans on the same input: same fixes, targets and order', async () => {
    const world = buildWorld({
      instances: [
        { id: A },
        { id: B, profile: 'app' },
        { id: C, profile: 'app', endpoint: 'disabled' },
        { id: D, profile: 'good', tokens: 'optional' },
        { id: ids[4] as string, tags: { 'ssm-doctor:remediate': 'false' } },
      ],
      profiles: { app: 'app-role', good: 'good-role' },
      coreRoles: ['good-role'],
      metadataNoToken: { [D]: 3 },
    });
    const settings = { enforceImdsV2: true, maxRemediationsPerRun: 2 };
    const dry = await planOn(simulate(world), settingsFor({ ...settings, remediationMode: 'dry-run' }));
    const sim = simulate(world);
    const on = await planOn(sim, settingsFor(settings));

    const { findings } = await applyOn(sim, on);

    const before = planned(dry.findings);
    const after = planned(findings);
    expect(after.map((p) => p.key)).toEqual(before.map((p) => p.key));
    after.forEach(({ key, r }, i) => {
      const plan = before[i]?.r;
      if (plan?.status === 'planned') expect(r.status, key).toBe('applied');
      else
        expect({ status: r.status, reason: r.reason }, key).toEqual({
          status: plan?.status,
          reason: plan?.reason,
        });
    });
    expect(before.filter((p) => p.r.status === 'planned' && !p.r.coveredBy)).toHaveLength(2);
    // Two changes, each followed by its marker tag.
    expect(sim.account.changes).toHaveLength(4);
  });

  it('stops at the cap per run, in instance order', async () => {
    const sim = simulate(buildWorld({ instances: ids.slice(0, 4).map((id) => ({ id })) }));
    const report = await planOn(sim, settingsFor({ maxRemediationsPerRun: 3 }));

    const { findings } = await applyOn(sim, report);

    expect(findings.map((f) => f.remediations[0]?.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'skipped',
    ]);
    expect(findingOf(findings, D).remediations[0]?.reason).toBe('cap-reached');
    expect(sim.account.callCounts()['ec2:AssociateIamInstanceProfile']).toBe(3);
  });

  it('holds the cap even when handed a plan made with a larger one', async () => {
    const sim = simulate(buildWorld({ instances: ids.slice(0, 3).map((id) => ({ id })) }));
    const report = await planOn(sim, settingsFor({ maxRemediationsPerRun: 10 }));

    const { counts } = await applyOn(sim, report, { settings: settingsFor({ maxRemediationsPerRun: 1 }) });

    expect(counts).toMatchObject({ applied: 1, skipped: 2 });
    expect(writes(sim)).toEqual([['ec2:AssociateIamInstanceProfile', 1]]);
  });

  it.each([
    ['in use', { [A]: 7 }, 'skipped(imdsv1-in-use)'],
    ['unknown (no datapoints)', {}, 'skipped(imdsv1-usage-unknown)'],
    ['zero', { [A]: 0 }, 'applied'],
  ])('enforces IMDSv2 on optional tokens only when IMDSv1 use is zero: %s', async (_, usage, outcome) => {
    const sim = simulate(
      buildWorld({
        instances: [{ id: A, profile: 'good', tokens: 'optional' }],
        profiles: { good: 'good-role' },
        coreRoles: ['good-role'],
        metadataNoToken: usage,
      }),
    );
    const report = await planOn(sim, settingsFor({ enforceImdsV2: true }));

    const { findings } = await applyOn(sim, report);

    expect(outcomes(findings)[A]).toEqual([`enforce-imdsv2@${A}: ${outcome}`]);
    expect(writes(sim)).toEqual(outcome === 'applied' ? [['ec2:ModifyInstanceMetadataOptions', 1]] : []);
  });

  it('enables a disabled metadata endpoint whatever the IMDSv1 metric says (nothing can use it)', async () => {
    const sim = simulate(
      buildWorld({
        instances: [{ id: A, profile: 'good', endpoint: 'disabled', tokens: 'optional' }],
        profiles: { good: 'good-role' },
        coreRoles: ['good-role'],
        metadataNoToken: { [A]: 12 },
      }),
    );
    const report = await planOn(sim, settingsFor());

    const { findings } = await applyOn(sim, report);

    expect(outcomes(findings)[A]).toEqual([`enforce-imdsv2@${A}: applied`]);
  });

  it.each<[string, Partial<WorldSpec['instances'][number]>, Parameters<typeof settingsFor>[0], string]>([
    ['mode off', {}, { remediationMode: 'off' }, 'skipped(mode-off)'],
    ['opted out when planned', { tags: { 'ssm-doctor:remediate': 'false' } }, {}, 'skipped(opted-out)'],
    [
      'enforce-imdsv2 toggled off and the endpoint disabled (listed, not changed)',
      { profile: 'good', endpoint: 'disabled' },
      { enforceImdsV2: false },
      'skipped(not-enabled)',
    ],
    // Hardening tokens is not even listed while the setting is off.
    [
      'enforce-imdsv2 toggled off and tokens optional',
      { profile: 'good', tokens: 'optional' },
      { enforceImdsV2: false },
      '',
    ],
  ])('writes nothing with %s', async (_, instance, settings, outcome) => {
    const sim = simulate(
      buildWorld({
        instances: [{ id: A, ...instance }],
        profiles: { good: 'good-role' },
        coreRoles: ['good-role'],
        metadataNoToken: { [A]: 0 },
      }),
    );
    const report = await planOn(sim, settingsFor(settings));

    const { findings } = await applyOn(sim, report, { settings: settingsFor(settings) });

    const first = findings[0]?.remediations[0];
    expect(first ? `${first.status}(${first.reason})` : '').toBe(outcome);
    expect(writes(sim)).toEqual([]);
  });
});
