import { describe, expect, it } from 'vitest';
import { applyOn, findingOf, outcomes, planOn, settingsFor, simulate, writes } from './harness.ts';
import { buildWorld, CORE, FIX_PROFILE, profileArn, type WorldSpec } from './worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';
const D = 'i-0000000000000000d';

/** One instance per fix: no profile, a role without the core policy, IMDS off, IMDSv1 allowed but unused. */
const threeFixes: WorldSpec = {
  instances: [
    { id: A },
    { id: B, profile: 'app' },
    { id: C, profile: 'good', endpoint: 'disabled' },
    { id: D, profile: 'good', tokens: 'optional' },
  ],
  profiles: { app: 'app-role', good: 'good-role' },
  coreRoles: ['good-role'],
  metadataNoToken: { [D]: 0 },
};

describe('applying a plan', () => {
  it('makes the three changes, and a re-scan of the changed world finds their causes gone', async () => {
    const sim = simulate(buildWorld(threeFixes));
    const settings = settingsFor({ enforceImdsV2: true });
    const report = await planOn(sim, settings);

    const applied = await applyOn(sim, report);

    expect(outcomes(applied.findings)).toEqual({
      [A]: [`attach-instance-profile@${A}: applied`],
      [B]: ['attach-core-policy@app-role: applied'],
      [C]: [`enforce-imdsv2@${C}: applied`],
      [D]: [`enforce-imdsv2@${D}: applied`],
    });
    expect(applied.counts).toMatchObject({ applied: 4, failed: 0, skipped: 0, planned: 0 });
    const world = sim.account.snapshot();
    const instance = (id: string) => world.ec2.Instances.find((i) => i.InstanceId === id);
    expect(instance(A)?.IamInstanceProfile?.Arn).toBe(profileArn(FIX_PROFILE));
    expect(world.iam.Roles.find((r) => r.RoleName === 'app-role')?.AttachedPolicies).toEqual([
      expect.objectContaining({ PolicyArn: CORE }),
    ]);
    expect(instance(C)?.MetadataOptions).toMatchObject({ HttpEndpoint: 'enabled', HttpTokens: 'required' });
    expect(instance(D)?.MetadataOptions).toMatchObject({ HttpEndpoint: 'enabled', HttpTokens: 'required' });

    const rescan = simulate(world);
    const second = await planOn(rescan, settings);
    for (const finding of second.findings) {
      expect(finding.causes, finding.instanceId).toEqual([]);
      expect(finding.remediations, finding.instanceId).toEqual([]);
    }
  });

  it('records before and after, the time and the request id, and logs one line per fix', async () => {
    const sim = simulate(buildWorld(threeFixes));
    const report = await planOn(sim, settingsFor({ enforceImdsV2: true }));

    const { findings, logs } = await applyOn(sim, report);

    const changes = sim.account.changes;
    const attach = findingOf(findings, A).remediations[0];
    expect(attach?.record).toEqual({
      at: '2026-11-26T06:00:00.000Z',
      operation: 'ec2:AssociateIamInstanceProfile',
      before: { instanceProfileArn: null },
      after: {
        instanceProfileArn: profileArn(FIX_PROFILE),
        associationId: expect.any(String),
        state: 'associating',
        // The marker the change left on the instance, written after it succeeded.
        marker: {
          tag: 'ssm-doctor:changed',
          value: 'attach-instance-profile 2026-11-26T06:00:00.000Z',
          written: true,
        },
      },
      requestId: changes.find((c) => c.action === 'ec2:AssociateIamInstanceProfile')?.requestId,
    });
    expect(changes.filter((c) => c.action === 'ec2:CreateTags').map((c) => c.target)).toEqual([A, C, D]);
    expect(changes.filter((c) => c.action === 'iam:TagRole').map((c) => c.target)).toEqual(['app-role']);
    expect(findingOf(findings, B).remediations[0]?.record).toMatchObject({
      operation: 'iam:AttachRolePolicy',
      before: { roleName: 'app-role', attachedPolicyArns: [] },
      after: { roleName: 'app-role', attachedPolicyArns: [CORE] },
      requestId: changes.find((c) => c.action === 'iam:AttachRolePolicy')?.requestId,
    });
    expect(findingOf(findings, C).remediations[0]?.record).toMatchObject({
      before: { httpEndpoint: 'disabled', httpTokens: 'required' },
      after: { httpEndpoint: 'enabled', httpTokens: 'required' },
    });
    expect(logs).toHaveLength(4);
    expect(logs.map((l) => [l.fix, l.instanceId, l.status, typeof l.requestId])).toEqual([
      ['attach-instance-profile', A, 'applied', 'string'],
      ['attach-core-policy', B, 'applied', 'string'],
      ['enforce-imdsv2', C, 'applied', 'string'],
      ['enforce-imdsv2', D, 'applied', 'string'],
    ]);
    for (const line of logs) expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  it('changes nothing on a second run, and the old plan applied again skips as already fixed', async () => {
    const sim = simulate(buildWorld(threeFixes));
    const settings = settingsFor({ enforceImdsV2: true });
    const report = await planOn(sim, settings);
    await applyOn(sim, report);
    const again = simulate(sim.account.snapshot());

    const second = await applyOn(again, await planOn(again, settings));
    const replayed = await applyOn(again, report);

    expect(second.counts).toMatchObject({ applied: 0, failed: 0 });
    expect(outcomes(replayed.findings)).toEqual({
      [A]: [`attach-instance-profile@${A}: skipped(already-fixed)`],
      [B]: ['attach-core-policy@app-role: skipped(already-fixed)'],
      [C]: [`enforce-imdsv2@${C}: skipped(already-fixed)`],
      [D]: [`enforce-imdsv2@${D}: skipped(already-fixed)`],
    });
    expect(again.account.changes).toEqual([]);
    expect(writes(again)).toEqual([]);
  });

  it('changes a shared role once; the other finding takes that outcome and names who else it reaches', async () => {
    const sim = simulate(
      buildWorld({
        instances: [
          { id: A, profile: 'app' },
          { id: B, profile: 'app' },
          { id: C, profile: 'app', tags: { 'ssm-doctor:ignore': 'true' } },
        ],
        profiles: { app: 'app-role' },
      }),
    );
    const report = await planOn(sim, settingsFor());

    const { findings } = await applyOn(sim, report);

    expect(findingOf(report.findings, A).remediations[0]?.alsoAffects).toEqual([B, C]);
    const shared = findingOf(findings, B).remediations[0];
    expect(shared).toMatchObject({ status: 'applied', coveredBy: A, alsoAffects: [A, C] });
    expect(shared?.record).toEqual(findingOf(findings, A).remediations[0]?.record);
    expect(sim.account.callCounts()['iam:AttachRolePolicy']).toBe(1);
  });

  it('leaves a dry-run plan untouched even when handed to the applier', async () => {
    const sim = simulate(buildWorld(threeFixes));
    const report = await planOn(sim, settingsFor({ remediationMode: 'dry-run' }));

    const { findings } = await applyOn(sim, report);

    expect(findings).toEqual(report.findings);
    expect(writes(sim)).toEqual([]);
  });
});
