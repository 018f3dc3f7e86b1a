import { describe, expect, it } from 'vitest';
import type { OutcomeLine } from '../../lambdas/pipeline/journal.ts';
import type { World } from '../../lambdas/sim/world.ts';
import { applyOn, changed, findingOf, outcomes, planOn, settingsFor, simulate, writes } from './harness.ts';
import { buildWorld, type WorldSpec } from './worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';

const spec = (faults: WorldSpec['faults'] = []): WorldSpec => ({
  instances: [{ id: A }, { id: B, profile: 'app' }, { id: C, profile: 'good', endpoint: 'disabled' }],
  profiles: { app: 'app-role', good: 'good-role' },
  coreRoles: ['good-role'],
  faults,
});

const instanceIn = (world: World, id: string) => {
  const instance = world.ec2.Instances.find((i) => i.InstanceId === id);
  if (!instance) throw new Error(`no ${id}`);
  return instance;
};

describe('faults while applying', () => {
  it('retries throttling and then succeeds', async () => {
    const sim = simulate(buildWorld(spec([{ operation: 'AttachRolePolicy', code: 'Throttling', times: 2 }])));
    const report = await planOn(sim, settingsFor());

    const { findings } = await applyOn(sim, report);

    expect(findingOf(findings, B).remediations[0]?.status).toBe('applied');
    expect(sim.account.callCounts()['iam:AttachRolePolicy']).toBe(3);
  });

  it('fails a fix that stays throttled past the retries, with the code and a sentence, and goes on', async () => {
    const sim = simulate(buildWorld(spec([{ operation: 'AttachRolePolicy', code: 'Throttling' }])));
    const report = await planOn(sim, settingsFor());

    const { findings, counts, logs } = await applyOn(sim, report);

    const failed = findingOf(findings, B).remediations[0];
    expect(failed?.status).toBe('failed');
    expect(failed?.reason).toMatch(/^Throttling: AWS throttled the call beyond the SDK retries/);
    expect(failed?.record).toMatchObject({ errorCode: 'Throttling', operation: 'iam:AttachRolePolicy' });
    expect(counts).toMatchObject({ applied: 2, failed: 1 });
    expect(logs.map((l) => l.status)).toEqual(['applied', 'failed', 'applied']);
  });

  it.each([
    ['CreateTags', 'UnauthorizedOperation'],
    ['TagRole', 'ServiceFailure'],
  ])(
    'keeps a change applied when its marker tag (%s) fails with %s, and says so in the journal',
    async (operation, code) => {
      const sim = simulate(buildWorld(spec([{ operation, code }])));
      const report = await planOn(sim, settingsFor());
      const lines: OutcomeLine[] = [];
      const journal = {
        intent: async () => ({ existed: false }),
        outcome: async (line: OutcomeLine) => {
          lines.push(line);
        },
      };

      const { findings, counts } = await applyOn(sim, report, { journal });

      // Every change stands: the marker is extra, never a reason to fail or retry the change.
      expect(counts).toMatchObject({ applied: 3, failed: 0 });
      const tagged = operation === 'TagRole' ? B : A;
      const record = findingOf(findings, tagged).remediations[0]?.record;
      expect(record?.after).toMatchObject({ marker: { tag: 'ssm-doctor:changed', written: false } });
      expect((record?.after as { marker?: { error?: string } } | undefined)?.marker?.error).toMatch(
        new RegExp(`^${code}`),
      );
      expect(record?.message).toMatch(/ssm-doctor:changed tag could not be written/);
      const outcome = lines.find((l) => l.instanceId === tagged);
      expect(outcome).toMatchObject({ status: 'applied', after: { marker: { written: false } } });
      expect(outcome?.message).toMatch(/could not be written/);
    },
  );

  it.each([
    ['AssociateIamInstanceProfile', 'UnauthorizedOperation', A, /may not make this change/],
    ['AttachRolePolicy', 'AccessDenied', B, /may not make this change/],
    ['ModifyInstanceMetadataOptions', 'InvalidInstanceID.NotFound', C, /no longer exists/],
    ['AssociateIamInstanceProfile', 'IncorrectState', A, /already has a profile association/],
    ['AttachRolePolicy', 'NoSuchEntity', B, /no such role/],
  ])(
    'turns %s %s into a failed fix and carries on with the others',
    async (operation, code, id, sentence) => {
      const sim = simulate(buildWorld(spec([{ operation, code }])));
      const report = await planOn(sim, settingsFor());

      const { findings, counts } = await applyOn(sim, report);

      const failed = findingOf(findings, id).remediations[0];
      expect(failed).toMatchObject({
        status: 'failed',
        record: { errorCode: code, requestId: expect.any(String) },
      });
      expect(failed?.reason).toMatch(new RegExp(`^${code.replace('.', '\\.')}: `));
      expect(failed?.record?.message).toMatch(sentence);
      expect(counts).toMatchObject({ applied: 2, failed: 1 });
    },
  );

  it('fails the fix, without writing, when the re-read itself is denied', async () => {
    const sim = simulate(buildWorld(spec()));
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      world.simulation.faults.push({
        operation: 'DescribeIamInstanceProfileAssociations',
        code: 'UnauthorizedOperation',
      });
    });

    const { findings } = await applyOn(later, report);

    expect(findingOf(findings, A).remediations[0]).toMatchObject({
      status: 'failed',
      record: { errorCode: 'UnauthorizedOperation' },
    });
    expect(later.account.callCounts()['ec2:AssociateIamInstanceProfile']).toBeUndefined();
  });
});

describe('the world changed between planning and applying', () => {
  it('skips instances stopped, terminated or gone since planning', async () => {
    const sim = simulate(buildWorld(spec()));
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      instanceIn(world, A).State = { Name: 'terminated' };
      instanceIn(world, C).State = { Name: 'stopped' };
      world.ec2.Instances = world.ec2.Instances.filter((i) => i.InstanceId !== B);
    });

    const { findings } = await applyOn(later, report);

    expect(outcomes(findings)).toEqual({
      [A]: [`attach-instance-profile@${A}: skipped(not-running)`],
      [B]: ['attach-core-policy@app-role: skipped(not-running)'],
      [C]: [`enforce-imdsv2@${C}: skipped(not-running)`],
    });
    expect(findingOf(findings, A).remediations[0]?.record?.message).toBe(`${A} is terminated`);
    expect(findingOf(findings, B).remediations[0]?.record?.message).toBe(`${B} no longer exists`);
    expect(writes(later)).toEqual([]);
  });

  it('skips an instance tagged ssm-doctor:remediate=false after planning', async () => {
    const sim = simulate(buildWorld(spec()));
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      for (const id of [A, C])
        instanceIn(world, id).Tags?.push({ Key: 'ssm-doctor:remediate', Value: 'False' });
    });

    const { findings } = await applyOn(later, report);

    expect(outcomes(findings)).toEqual({
      [A]: [`attach-instance-profile@${A}: skipped(opted-out)`],
      [B]: ['attach-core-policy@app-role: applied'],
      [C]: [`enforce-imdsv2@${C}: skipped(opted-out)`],
    });
    expect(later.account.changes.map((c) => c.action)).toEqual(['iam:AttachRolePolicy', 'iam:TagRole']);
  });

  it('does not change a shared role when another instance using it has opted out', async () => {
    const sim = simulate(
      buildWorld({
        instances: [
          { id: A, profile: 'app' },
          { id: B, profile: 'app' },
        ],
        profiles: { app: 'app-role' },
      }),
    );
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      instanceIn(world, B).Tags?.push({ Key: 'ssm-doctor:remediate', Value: 'false' });
    });

    const { findings } = await applyOn(later, report);

    expect(outcomes(findings)).toEqual({
      [A]: ['attach-core-policy@app-role: skipped(shared-with-opted-out)'],
      [B]: ['attach-core-policy@app-role: skipped(shared-with-opted-out)'],
    });
    expect(findingOf(findings, A).remediations[0]?.record?.message).toContain(`used by ${B}`);
    expect(writes(later)).toEqual([]);
  });

  it('never replaces a profile associated since planning, whoever associated it', async () => {
    const sim = simulate(
      buildWorld({
        instances: [{ id: A }, { id: B }],
        profiles: { other: 'other-role' },
        coreRoles: ['other-role'],
      }),
    );
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      instanceIn(world, A).IamInstanceProfile = {
        Arn: 'arn:aws:iam::111122223333:instance-profile/ssm-doctor-fix',
      };
      instanceIn(world, B).IamInstanceProfile = { Arn: 'arn:aws:iam::111122223333:instance-profile/other' };
    });

    const { findings } = await applyOn(later, report);

    expect(outcomes(findings)).toEqual({
      [A]: [`attach-instance-profile@${A}: skipped(already-fixed)`],
      [B]: [`attach-instance-profile@${B}: skipped(changed-since-planning)`],
    });
    expect(writes(later)).toEqual([]);
  });

  it('holds back the IMDS fix when the endpoint was switched on since planning (IMDSv1 usage unknown)', async () => {
    const sim = simulate(buildWorld(spec()));
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      instanceIn(world, C).MetadataOptions = { HttpEndpoint: 'enabled', HttpTokens: 'optional' };
    });

    const { findings } = await applyOn(later, report);

    expect(findingOf(findings, C).remediations[0]).toMatchObject({
      status: 'skipped',
      reason: 'changed-since-planning',
      record: { before: { httpEndpoint: 'enabled', httpTokens: 'optional' } },
    });
    expect(later.account.callCounts()['ec2:ModifyInstanceMetadataOptions']).toBeUndefined();
  });

  it('does not attach the policy to a role the instance no longer reaches', async () => {
    const sim = simulate(buildWorld(spec()));
    const report = await planOn(sim, settingsFor());
    const later = changed(sim, (world) => {
      const profile = world.iam.InstanceProfiles.find((p) => p.InstanceProfileName === 'app');
      if (profile) profile.Roles = [{ RoleName: 'good-role' }];
    });

    const { findings } = await applyOn(later, report);

    expect(findingOf(findings, B).remediations[0]).toMatchObject({
      status: 'skipped',
      reason: 'changed-since-planning',
    });
    expect(later.account.callCounts()['iam:AttachRolePolicy']).toBeUndefined();
  });
});
