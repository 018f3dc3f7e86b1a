/**
 * `ssm-doctor scan`: one report, printed in the asked format. With `--remediation on` the plan is
 * applied and the fixed instances re-read in SSM; with `--world` every change lands in the
 * simulated account only, and `--save-world` writes it out so a second scan sees the fixes.
 * Structured remediation logs go to stderr: stdout carries the report alone.
 */
import { writeFile } from 'node:fs/promises';
import type { Report } from '../engine/report-model.ts';
import type { Settings } from '../engine/settings.ts';
import { applyPlan } from '../pipeline/apply.ts';
import { scan } from '../pipeline/scan.ts';
import { verifyFixes } from '../pipeline/verify.ts';
import { type OpenAccount, openAccount } from './account.ts';
import { type CliIo, EXIT, UsageError } from './io.ts';
import { settingsFromFlags } from './options.ts';
import { renderMarkdown } from './render/markdown.ts';
import { renderTable } from './render/table.ts';

export interface ScanFlags {
  world?: string;
  region?: string;
  profile?: string;
  instance?: string[];
  remediation: Settings['remediationMode'];
  enforceImdsv2?: boolean;
  maxRemediations?: number;
  graceMinutes?: number;
  imdsv1LookbackDays?: number;
  instanceProfile?: string;
  saveWorld?: string;
  verifyWait?: number;
  format: 'table' | 'json' | 'markdown';
}

/** An instance profile name (IAM: 1–128 of `\w+=,.@-`) or its ARN. */
const PROFILE = /^(arn:aws[\w-]*:iam::\d{12}:instance-profile\/([\w+=,.@/-]+\/)?)?[\w+=,.@-]{1,128}$/;

function checkFlags(flags: ScanFlags): void {
  if (flags.saveWorld && !flags.world) throw new UsageError('--save-world needs --world.');
  if (flags.remediation !== 'on') {
    if (flags.verifyWait !== undefined) throw new UsageError('--verify-wait needs --remediation on.');
    return;
  }
  // Asked for up front rather than failing fixes one by one: dry-run and on must plan alike.
  if (!flags.instanceProfile) {
    throw new UsageError(
      '--remediation on needs --instance-profile NAME: the profile attach-instance-profile associates ' +
        '(its role should carry AmazonSSMManagedInstanceCore).',
    );
  }
  if (!PROFILE.test(flags.instanceProfile)) {
    throw new UsageError(
      `--instance-profile: expected an instance profile name (letters, digits and +=,.@_-) or its ARN, got "${flags.instanceProfile}".`,
    );
  }
}

export async function runScan(flags: ScanFlags, io: CliIo): Promise<number> {
  checkFlags(flags);
  const settings = settingsFromFlags(flags);
  const account = await openAccount(flags, io.env);
  const planned = await scan(
    account.clients,
    { ...account.identity, region: account.clients.region, now: account.now, settings },
    {
      ...(flags.instance?.length ? { instanceIds: flags.instance } : {}),
      ...(flags.instanceProfile ? { ownProfile: flags.instanceProfile } : {}),
    },
  );
  const report = settings.remediationMode === 'on' ? await remediate(planned, account, flags, io) : planned;
  if (flags.saveWorld && account.simulated) {
    await writeFile(flags.saveWorld, `${JSON.stringify(account.simulated.snapshot(), null, 2)}\n`);
  }
  if (flags.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderTable(report, io.color));
  return report.findings.length > 0 ? EXIT.findings : EXIT.clean;
}

async function remediate(report: Report, account: OpenAccount, flags: ScanFlags, io: CliIo): Promise<Report> {
  // A world's clock starts at its `now` and runs in real time from there, so records are stamped
  // in the world's time and --verify-wait still waits real seconds.
  const started = Date.now();
  const base = account.simulated?.now().getTime() ?? started;
  const now = () => new Date(base + Date.now() - started);
  const applied = await applyPlan(account.clients, report.findings, {
    settings: report.settings,
    partition: account.identity.partition,
    ...(flags.instanceProfile ? { instanceProfile: flags.instanceProfile } : {}),
    log: (entry) => io.stderr(`${JSON.stringify(entry)}\n`),
    now,
  });
  const verified = await verifyFixes(account.clients.ssm, applied.findings, {
    waitSeconds: flags.verifyWait ?? 0,
    now,
  });
  return { ...report, findings: verified.findings };
}
