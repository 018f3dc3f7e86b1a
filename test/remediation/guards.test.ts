/**
 * The cases of issue 8, each on a small world: a fix is listed with the status report-format.md
 * gives, and nothing is written where nothing may be.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/main.ts';
import { optOutDenyStatements } from '../../lambdas/engine/remediation/fixes.ts';
import { evaluate } from '../../lambdas/sim/policy-evaluation.ts';
import { applyOn, findingOf, outcomes, planOn, settingsFor, simulate, writes } from './harness.ts';
import { buildWorld, removeWorldFiles, type WorldSpec, worldFile } from './worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const O = 'i-000000000000000ff';

afterAll(removeWorldFiles);

async function planAndApply(spec: WorldSpec, overrides = {}) {
  const sim = simulate(buildWorld(spec));
  const report = await planOn(sim, settingsFor(overrides));
  const planned = outcomes(report.findings);
  const applied = await applyOn(sim, report);
  return {
    sim,
    report,
    planned,
    applied,
    details: report.findings.flatMap((f) => f.remediations.map((r) => r.detail)),
  };
}

const role = (roles: WorldSpec['roles']): WorldSpec => ({
  instances: [{ id: A, profile: 'app' }],
  profiles: { app: 'app-role' },
  roles,
});

describe('attach-core-policy only where it can help', () => {
  it('does not touch a role that EC2 cannot assume (trusts lambda only)', async () => {
    const { planned, details, sim } = await planAndApply(
      role({ 'app-role': { trusts: 'lambda.amazonaws.com' } }),
    );
    expect(planned[A]).toEqual(['attach-core-policy@app-role: skipped(would-not-help)']);
    expect(details[0]).toMatch(/does not trust ec2\.amazonaws\.com \(only lambda\.amazonaws\.com\)/);
    expect(writes(sim)).toEqual([]);
  });

  it('does not touch a role whose inline policy denies what the agent needs, and names the deny', async () => {
    const deny = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' }],
    };
    const { planned, details, sim } = await planAndApply(role({ 'app-role': { inline: deny } }));
    expect(planned[A]).toEqual(['attach-core-policy@app-role: skipped(would-not-help)']);
    expect(details[0]).toMatch(/explicit deny in app-role-inline/);
    expect(writes(sim)).toEqual([]);
  });

  it('plans it with a detail when a deny leaves part of it blocked', async () => {
    const deny = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' }],
    };
    const { planned, details } = await planAndApply(role({ 'app-role': { inline: deny } }), {
      remediationMode: 'dry-run',
    });
    expect(planned[A]).toEqual(['attach-core-policy@app-role: planned(dry-run)']);
    expect(details[0]).toMatch(/helps only partly: ssmmessages:CreateControlChannel.*explicit deny/);
  });

  it('does not touch a role whose permissions boundary blocks the agent, and names the boundary', async () => {
    const boundary = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    };
    const { planned, details, sim } = await planAndApply(role({ 'app-role': { boundary } }));
    expect(planned[A]).toEqual(['attach-core-policy@app-role: skipped(would-not-help)']);
    expect(details[0]).toMatch(/permissions boundary arn:aws:iam::111122223333:policy\/app-role-boundary/);
    expect(writes(sim)).toEqual([]);
  });

  it.each([
    [
      'tagged ssm-doctor:remediate=false',
      { tags: { 'SSM-Doctor:Remediate': ' false' } },
      /is tagged SSM-Doctor:Remediate= false/,
    ],
    ['service-linked', { path: '/aws-service-role/' }, /service-linked/],
  ])('does not touch a role %s', async (_, extra, detail) => {
    const { planned, details, sim } = await planAndApply(role({ 'app-role': extra }));
    expect(planned[A]).toEqual(['attach-core-policy@app-role: skipped(opted-out)']);
    expect(details[0]).toMatch(detail);
    expect(writes(sim)).toEqual([]);
  });

  it('does not touch the role of the profile it hands out itself (CLI --instance-profile)', async () => {
    const sim = simulate(
      buildWorld({ instances: [{ id: A, profile: 'mine' }], profiles: { mine: 'my-role' } }),
    );
    const { scan } = await import('../../lambdas/pipeline/scan.ts');
    const report = await scan(
      sim.clients,
      {
        accountId: sim.account.accountId,
        partition: 'aws',
        region: sim.account.region,
        now: sim.account.now(),
        settings: settingsFor(),
      },
      { ownProfile: 'mine' },
    );
    expect(outcomes(report.findings)[A]).toEqual(['attach-core-policy@my-role: skipped(opted-out)']);
    expect(report.findings[0]?.remediations[0]?.detail).toMatch(/ssm-doctor's own/);
  });

  it('holds a role back for everyone when an instance using it through another profile opted out', async () => {
    const { planned, applied, sim } = await planAndApply({
      instances: [
        { id: A, profile: 'app' },
        { id: B, profile: 'app' },
        { id: O, profile: 'other', tags: { 'ssm-doctor:remediate': 'false' } },
      ],
      profiles: { app: 'shared-role', other: 'shared-role' },
    });
    expect(planned).toEqual({
      [A]: ['attach-core-policy@shared-role: skipped(shared-with-opted-out)'],
      [B]: ['attach-core-policy@shared-role: skipped(shared-with-opted-out)'],
      [O]: ['attach-core-policy@shared-role: skipped(opted-out)'],
    });
    // The blast radius: every other user of the role, whichever profile it reaches it through.
    expect(findingOf(applied.findings, A).remediations[0]?.alsoAffects).toEqual([B, O]);
    expect(writes(sim)).toEqual([]);
  });
});

describe('opt-out fails closed', () => {
  it.each([
    ['ssm-doctor:remediate', 'False'],
    ['ssm-doctor:remediate', 'false '],
    ['ssm-doctor:remediate', 'no'],
    ['ssm-doctor:remediate', '0'],
    ['ssm-doctor:remediate', 'maybe'],
    ['SSM-Doctor:Remediate', 'false'],
  ])('%s=%j is hands off', async (key, value) => {
    const { planned, sim } = await planAndApply({ instances: [{ id: A, tags: { [key]: value } }] });
    expect(planned[A]).toEqual([`attach-instance-profile@${A}: skipped(opted-out)`]);
    expect(writes(sim)).toEqual([]);
  });

  it('reports a value other than true/false as a run-level error naming instance and tag', async () => {
    const { report } = await planAndApply({
      instances: [{ id: A, tags: { 'ssm-doctor:remediate': 'maybe' } }],
    });
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'InvalidTag',
        message: expect.stringMatching(/i-0000000000000000a .*"ssm-doctor:remediate"="maybe"/),
      }),
    ]);
  });

  it('acts where the tag says true, in any case and padding', async () => {
    const { planned } = await planAndApply({
      instances: [{ id: A, tags: { 'ssm-doctor:remediate': ' TRUE ' } }],
    });
    expect(planned[A]).toEqual([`attach-instance-profile@${A}: planned(will-apply)`]);
  });

  it('hides an instance only for ignore=true, lists it, and diagnoses and reports any other value', async () => {
    const { report } = await planAndApply({
      instances: [
        { id: A, tags: { 'SSM-Doctor:Ignore': 'True ' } },
        { id: B, tags: { 'ssm-doctor:ignore': 'yes' } },
      ],
    });
    expect(report.ignored).toEqual([{ instanceId: A, name: '000a', tag: 'SSM-Doctor:Ignore=True ' }]);
    expect(report.findings.map((f) => f.instanceId)).toEqual([B]);
    expect(report.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/i-0000000000000000b .*"yes"/),
    ]);
  });

  it('the IAM deny matches the same variants (any key case, any value but a padded true)', () => {
    const [instances] = optOutDenyStatements({
      partition: 'aws',
      accountId: '111122223333',
      region: 'eu-west-1',
      remediationRoleArn: '*',
    });
    const source = {
      id: 'deny',
      type: 'none' as const,
      document: { Version: '2012-10-17', Statement: [instances as never] },
    };
    const decide = (key: string | undefined, value: string) =>
      evaluate(
        [source],
        'ec2:ModifyInstanceMetadataOptions',
        'arn:aws:ec2:eu-west-1:111122223333:instance/i-1',
        undefined,
        {
          ...(key ? { [`aws:ResourceTag/${key}`]: value } : {}),
        },
      ).decision;
    for (const value of ['false', 'False', 'false ', 'no', '0', 'maybe', ''])
      expect(decide('ssm-doctor:remediate', value), value).toBe('explicitDeny');
    expect(decide('SSM-Doctor:Remediate', 'false')).toBe('explicitDeny');
    for (const value of ['true', 'TRUE', ' true', 'true '])
      expect(decide('ssm-doctor:remediate', value), value).not.toBe('explicitDeny');
    expect(decide(undefined, '')).not.toBe('explicitDeny');
  });
});

describe('--remediation on changes nothing where nothing may change', () => {
  it('leaves the saved world as it was for every instance and role that must not be touched', async () => {
    const { path, dir } = await worldFile({
      instances: [
        { id: A, profile: 'lambda' },
        { id: B, endpoint: 'disabled', profile: 'fine', tags: { 'ssm-doctor:remediate': 'False' } },
        { id: O, profile: 'other', tags: { 'ssm-doctor:remediate': 'no' } },
        { id: 'i-0000000000000000c', profile: 'shared' },
      ],
      profiles: { lambda: 'lambda-role', fine: 'fine-role', other: 'shared-role', shared: 'shared-role' },
      coreRoles: ['fine-role'],
      roles: { 'lambda-role': { trusts: 'lambda.amazonaws.com' } },
    });
    const out = join(dir, 'after.json');
    const code = await runCli(
      [
        'scan',
        '--world',
        path,
        '--remediation',
        'on',
        '--enforce-imdsv2',
        '--instance-profile',
        'ssm-doctor-fix',
        '--save-world',
        out,
        '--format',
        'json',
      ],
      { stdout: () => {}, stderr: () => {}, color: false, env: {} },
    );
    expect(code).toBe(1);
    const before = JSON.parse(await readFile(path, 'utf8'));
    const after = JSON.parse(await readFile(out, 'utf8'));
    expect(after.ec2.Instances).toEqual(before.ec2.Instances);
    expect(after.iam.Roles).toEqual(before.iam.Roles);
  });
});
