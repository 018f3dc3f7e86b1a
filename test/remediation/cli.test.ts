import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/main.ts';
import type { Report } from '../../lambdas/engine/report-model.ts';
import { FIX_PROFILE, removeWorldFiles, type WorldSpec, worldFile } from './worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';

const spec: WorldSpec = {
  instances: [{ id: A }, { id: B, profile: 'app' }, { id: C, profile: 'app', endpoint: 'disabled' }],
  profiles: { app: 'app-role' },
  onlineAfterFix: [A],
};

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    color: false,
    env: {},
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

afterAll(removeWorldFiles);

describe('scan --remediation on', () => {
  it('fixes the world file only in --save-world OUT, which a second scan sees fixed', async () => {
    const { path, dir } = await worldFile(spec);
    const out = join(dir, 'fixed.json');
    const original = await readFile(path, 'utf8');

    const first = await cli(
      'scan',
      '--world',
      path,
      '--remediation',
      'on',
      '--instance-profile',
      FIX_PROFILE,
      '--enforce-imdsv2',
      '--save-world',
      out,
      '--format',
      'json',
    );

    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as Report;
    const status = (id: string) =>
      report.findings.find((f) => f.instanceId === id)?.remediations.map((r) => r.status);
    expect(status(A)).toEqual(['verified']);
    expect(status(B)).toEqual(['applied']);
    expect(status(C)).toEqual(['applied', 'applied']);
    const logs = first.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logs.map((l) => [l.fix, l.instanceId, l.status])).toEqual([
      ['attach-instance-profile', A, 'applied'],
      ['attach-core-policy', B, 'applied'],
      ['enforce-imdsv2', C, 'applied'],
    ]);
    expect(await readFile(path, 'utf8')).toBe(original);
    // What changed carries the marker saying which fix and when; what did not, none.
    const saved = JSON.parse(await readFile(out, 'utf8')) as {
      now: string;
      ec2: { Instances: { InstanceId: string; Tags?: { Key: string; Value: string }[] }[] };
      iam: { Roles: { RoleName: string; Tags?: { Key: string; Value: string }[] }[] };
    };
    const marker = (tags: { Key: string; Value: string }[] | undefined) =>
      tags?.find((t) => t.Key === 'ssm-doctor:changed')?.Value;
    const instanceMarker = (id: string) => marker(saved.ec2.Instances.find((i) => i.InstanceId === id)?.Tags);
    const at = /^\S+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
    expect(instanceMarker(A)).toMatch(/^attach-instance-profile /);
    expect(instanceMarker(A)).toMatch(at);
    expect(instanceMarker(B)).toBeUndefined();
    expect(instanceMarker(C)).toMatch(/^enforce-imdsv2 /);
    expect(marker(saved.iam.Roles.find((r) => r.RoleName === 'app-role')?.Tags)).toMatch(
      /^attach-core-policy /,
    );
    expect(logs[1].after.marker).toMatchObject({ tag: 'ssm-doctor:changed', written: true });

    const second = await cli('scan', '--world', out, '--format', 'json');
    const rescanned = JSON.parse(second.stdout) as Report;
    expect(rescanned.findings.map((f) => f.instanceId)).toEqual([B, C]);
    for (const finding of rescanned.findings) expect(finding.causes).toEqual([]);

    const third = await cli(
      'scan',
      '--world',
      out,
      '--remediation',
      'on',
      '--instance-profile',
      FIX_PROFILE,
      '--format',
      'json',
    );
    expect(third.stderr).toBe('');
  });

  it('with --journal FILE appends the change journal: an intent before each write, its outcome after', async () => {
    const { path, dir } = await worldFile(spec);
    const journal = join(dir, 'changes.jsonl');

    const result = await cli(
      'scan',
      '--world',
      path,
      '--remediation',
      'on',
      '--instance-profile',
      FIX_PROFILE,
      // IMDS fixes too (off by default): every kind of change is journalled.
      '--enforce-imdsv2',
      '--journal',
      journal,
      '--format',
      'json',
    );

    expect(result.code).toBe(1);
    const lines = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.event, l.fix, l.instanceId])).toEqual([
      ['intent', 'attach-instance-profile', A],
      ['outcome', 'attach-instance-profile', A],
      ['intent', 'attach-core-policy', B],
      ['outcome', 'attach-core-policy', B],
      ['intent', 'enforce-imdsv2', C],
      ['outcome', 'enforce-imdsv2', C],
    ]);
    const outcome = lines.find((l) => l.event === 'outcome' && l.fix === 'attach-core-policy');
    expect(outcome).toMatchObject({
      message: 'ssm-doctor change',
      status: 'applied',
      operation: 'iam:AttachRolePolicy',
      target: 'app-role',
      requestId: expect.any(String),
    });
    // stderr still carries one line per change.
    expect(result.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('refuses --journal without --remediation on', async () => {
    const { path, dir } = await worldFile(spec);
    const result = await cli('scan', '--world', path, '--journal', join(dir, 'j.jsonl'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--journal needs --remediation on/);
  });

  it('waits --verify-wait seconds for an agent that does not come back, then says how to hurry it', async () => {
    const { path } = await worldFile({ ...spec, onlineAfterFix: [] });
    const started = Date.now();

    const { stdout } = await cli(
      'scan',
      '--world',
      path,
      '--remediation',
      'on',
      '--instance-profile',
      FIX_PROFILE,
      '--verify-wait',
      '1',
      '--format',
      'markdown',
    );

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(stdout).toContain(`\`attach-instance-profile\` on \`${A}\`: applied`);
    expect(stdout).toMatch(
      /1\. The fix is applied but Systems Manager does not list the instance as Online yet/,
    );
  });

  it('plans in dry-run exactly what on applies', async () => {
    const { path } = await worldFile(spec);
    const keys = (report: Report) =>
      report.findings.flatMap((f) => f.remediations.map((r) => `${f.instanceId} ${r.id}@${r.target}`));

    const dry = JSON.parse(
      (await cli('scan', '--world', path, '--remediation', 'dry-run', '--format', 'json')).stdout,
    );
    const on = JSON.parse(
      (
        await cli(
          'scan',
          '--world',
          path,
          '--remediation',
          'on',
          '--instance-profile',
          FIX_PROFILE,
          '--format',
          'json',
        )
      ).stdout,
    );

    expect(keys(on)).toEqual(keys(dry));
    expect(keys(dry)).toHaveLength(4);
  });

  it('shows in markdown who else a shared-role change reaches', async () => {
    const { path } = await worldFile(spec);

    const { stdout } = await cli('scan', '--world', path, '--remediation', 'dry-run', '--format', 'markdown');

    expect(stdout).toContain(`\`attach-core-policy\` on \`app-role\`: planned (dry-run) — also affects ${C}`);
  });

  it.each([
    [['--remediation', 'on'], /--remediation on needs --instance-profile NAME/],
    [
      ['--remediation', 'on', '--instance-profile', 'bad name!'],
      /--instance-profile: expected an instance profile name/,
    ],
    [['--verify-wait', '10'], /--verify-wait needs --remediation on/],
  ])('refuses %j with a usage error and nothing on stdout', async (flags, message) => {
    const { path } = await worldFile(spec);

    const result = await cli('scan', '--world', path, ...flags);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
