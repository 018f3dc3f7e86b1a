import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/main.ts';

const SAMPLE = 'examples/worlds/sample-fleet.json';
const dir = mkdtempSync(join(tmpdir(), 'ssm-doctor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    color: false,
    env: {},
  });
  return { code, stdout, stderr };
}

describe('ssm-doctor scan', () => {
  it('prints exactly one report document with --format json and exits 1 on findings', async () => {
    const { code, stdout, stderr } = await cli('scan', '--world', SAMPLE, '--format', 'json');
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.format).toBe('ssm-doctor/report@1');
    expect(report.accountId).toBe('111122223333');
    expect(report.settings.remediationMode).toBe('off');
    expect(report.findings.length).toBeGreaterThan(10);
    const ids = report.findings.map((f: { instanceId: string }) => f.instanceId);
    expect(ids).toEqual([...ids].sort());
  });

  it('exits 0 when no instance needs attention', async () => {
    const { code, stdout } = await cli('scan', '--world', SAMPLE, '--tag', 'Name=web-1');
    expect(code).toBe(0);
    expect(stdout).toContain('All 1 judged instances are managed by Systems Manager.');
  });

  it('names each --instance it could not judge and why, and exits 2 when none was judged', async () => {
    const { code, stdout, stderr } = await cli(
      'scan',
      '--world',
      SAMPLE,
      ...[
        'i-0123456789abcdef0',
        'i-0b43d3674cf8f5e03',
        'i-0abb4671ac6c1e300',
        'i-04d210c53cce15687',
        'i-0df627b2721078ec0',
      ].flatMap((id) => ['--instance', id]),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'ssm-doctor: i-0123456789abcdef0 was not judged: not found in 111122223333/eu-west-1.',
      'ssm-doctor: i-0b43d3674cf8f5e03 was not judged: not running (stopped).',
      'ssm-doctor: i-0abb4671ac6c1e300 was not judged: online in Systems Manager (managed).',
      'ssm-doctor: i-04d210c53cce15687 was not judged: ignored (tagged ssm-doctor:ignore=true).',
      'ssm-doctor: i-0df627b2721078ec0 was not judged: in its grace period (launched 2026-11-26T05:55:00.000Z, judged after 15 minutes).',
    ]);
  });

  it('reports the judged ones when only some --instance could be judged', async () => {
    const { code, stdout, stderr } = await cli(
      'scan',
      '--world',
      SAMPLE,
      '--instance',
      'i-0199117741c36d227',
      '--instance',
      'i-0b43d3674cf8f5e03',
      '--format',
      'json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout).findings.map((f: { instanceId: string }) => f.instanceId)).toEqual([
      'i-0199117741c36d227',
    ]);
    expect(stderr).toBe('ssm-doctor: i-0b43d3674cf8f5e03 was not judged: not running (stopped).\n');
  });

  it('filters by --vpc (any) and --tag KEY=VALUE (all)', async () => {
    const vpc = JSON.parse(
      (await cli('scan', '--world', SAMPLE, '--vpc', 'vpc-0f7c3fd5088281244', '--format', 'json')).stdout,
    );
    expect(vpc.findings.map((f: { name: string }) => f.name)).toEqual(['pci-api-1']);
    expect(vpc.summary.runningInstances).toBe(1);
    const tagged = JSON.parse(
      (
        await cli(
          'scan',
          '--world',
          SAMPLE,
          '--tag',
          'owner=team-billing',
          '--tag',
          'ssm-doctor:remediate=false',
          '--format',
          'json',
        )
      ).stdout,
    );
    expect(tagged.findings.map((f: { name: string }) => f.name)).toEqual(['batch-legacy-1']);
  });

  it('prints --version, and progress on stderr only when stderr is a terminal', async () => {
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    let stderr = '';
    const code = await runCli(['scan', '--world', SAMPLE, '--format', 'json'], {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
      color: false,
      progress: true,
      env: {},
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Reading the EC2 and SSM inventories…');
    expect(stderr).toContain('35 running instances, 21 to diagnose…');
  });

  it('renders a table for people and markdown for tickets', async () => {
    const table = await cli('scan', '--world', SAMPLE);
    expect(table.stdout).toMatch(/^INSTANCE\s+NAME\s+SSM STATUS\s+ROOT CAUSE\s+FIXES$/m);
    expect(table.stdout).not.toContain('\u001b[');
    const markdown = await cli('scan', '--world', SAMPLE, '--format', 'markdown');
    expect(markdown.stdout).toContain('# ssm-doctor report — 111122223333 / eu-west-1');
    expect(markdown.stdout).toContain('**Next steps**');
  });

  it.each([
    [['scan', '--bogus'], "unknown option '--bogus'"],
    [['scan', '--format', 'yaml'], 'Allowed choices are table, json, markdown'],
    [['scan', '--remediation', 'always'], 'Allowed choices are off, dry-run, on'],
    [['scan', '--max-remediations', 'many'], 'expected a whole number from 0 to 1000'],
    [['scan', '--instance', 'web-1'], 'expected an instance id'],
    [['scan', '--world', 'does-not-exist.json'], 'does-not-exist.json'],
    [['scan', '--world', SAMPLE, '--region', 'us-east-1'], 'the world file, which is for eu-west-1'],
    [['scan', '--save-world', 'x.json'], '--save-world needs --world'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j is a usage error: exit 2, message on stderr, nothing on stdout', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('rejects a malformed world file naming the JSON path and what was expected', async () => {
    const file = join(dir, 'typo.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'ssm-doctor/world@1',
        accountId: '111122223333',
        region: 'eu-west-1',
        ec2: { Instancs: [] },
      }),
    );
    const { code, stdout, stderr } = await cli('scan', '--world', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('ec2: unknown key "Instancs"');
  });
});

describe('ssm-doctor record', () => {
  it('records an account into a world file that gives the same diagnosis', async () => {
    const out = join(dir, 'recorded.json');
    const recorded = await cli('record', '--world', SAMPLE, '--out', out);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toBe('');
    const original = JSON.parse((await cli('scan', '--world', SAMPLE, '--format', 'json')).stdout);
    const again = JSON.parse((await cli('scan', '--world', out, '--format', 'json')).stdout);
    expect(again.summary).toEqual(original.summary);
    const brief = (r: {
      findings: { instanceId: string; causes: string[]; checks: { id: string; status: string }[] }[];
    }) =>
      r.findings.map((f) => ({
        id: f.instanceId,
        causes: f.causes,
        checks: f.checks.map((c) => `${c.id}:${c.status}`),
      }));
    expect(brief(again)).toEqual(brief(original));
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('ssm-doctor/world@1');
  });
});

describe('ssm-doctor permissions', () => {
  it('prints a read-only policy for scan and adds the conditioned writes with --fix', async () => {
    const scan = JSON.parse((await cli('permissions')).stdout);
    const actions = scan.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toContain('ec2:DescribeRouteTables');
    expect(actions.every((a: string) => /:(Describe|Get|List|Simulate)/.test(a))).toBe(true);
    const fix = JSON.parse((await cli('permissions', '--fix')).stdout);
    const attach = fix.Statement.find((s: { Action: string[] }) => s.Action.includes('iam:AttachRolePolicy'));
    expect(attach.Condition.ArnEquals['iam:PolicyARN']).toBe(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
  });
});
