/**
 * `ssm-doctor scan`: one report, printed in the asked format. With `--remediation on` the plan is
 * applied and the fixed instances re-read in SSM; with `--world` every change lands in the
 * simulated account only, and `--save-world` writes it out so a second scan sees the fixes.
 * Structured remediation logs go to stderr: stdout carries the report alone.
 */
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Instance } from '@aws-sdk/client-ec2';
import type { Inventory } from '../aws/inventory.ts';
import { withFindings } from '../engine/report.ts';
import type { Report } from '../engine/report-model.ts';
import type { Settings } from '../engine/settings.ts';
import { applyPlan } from '../pipeline/apply.ts';
import { lineJournal } from '../pipeline/journal.ts';
import { scan } from '../pipeline/scan.ts';
import { verifyFixes } from '../pipeline/verify.ts';
import { type OpenAccount, openAccount } from './account.ts';
import { type CliIo, EXIT, UsageError } from './io.ts';
import { settingsFromFlags } from './options.ts';
import { renderMarkdown } from './render/markdown.ts';
import { renderTable } from './render/table.ts';
import { instanceFilter, instanceStates, type NotJudged, notJudged } from './unjudged.ts';

export interface ScanFlags {
  world?: string;
  region?: string;
  profile?: string;
  instance?: string[];
  vpc?: string[];
  tag?: [string, string][];
  remediation: Settings['remediationMode'];
  enforceImdsv2?: boolean;
  maxRemediations?: number;
  graceMinutes?: number;
  imdsv1LookbackDays?: number;
  instanceProfile?: string;
  saveWorld?: string;
  /** With `--remediation on`: append the change journal (intent and outcome lines, JSON) to this file. */
  journal?: string;
  verifyWait?: number;
  format: 'table' | 'json' | 'markdown';
}

/** An instance profile name (IAM: 1–128 of `\w+=,.@-`) or its ARN. */
const PROFILE = /^(arn:aws[\w-]*:iam::\d{12}:instance-profile\/([\w+=,.@/-]+\/)?)?[\w+=,.@-]{1,128}$/;

function checkFlags(flags: ScanFlags): void {
  if (flags.saveWorld && !flags.world) throw new UsageError('--save-world needs --world.');
  if (flags.journal && flags.remediation !== 'on') throw new UsageError('--journal needs --remediation on.');
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
  const filter = instanceFilter(flags.vpc ?? [], flags.tag ?? []);
  const asked = flags.instance ?? [];
  let inventory: Inventory | undefined;
  const planned = await scan(
    account.clients,
    { ...account.identity, region: account.clients.region, now: account.now, settings },
    {
      ...(asked.length ? { instanceIds: asked } : {}),
      ...(filter ? { filter } : {}),
      ...(io.progress ? { progress: (message: string) => io.stderr(`${message}\n`) } : {}),
      onInventory: (read) => {
        inventory = read;
      },
      ...(flags.instanceProfile ? { ownProfile: flags.instanceProfile } : {}),
    },
  );
  const missing =
    asked.length && inventory ? await explainMissing(asked, planned, inventory, account, filter) : [];
  for (const m of missing) io.stderr(`ssm-doctor: ${m.instanceId} was not judged: ${m.why}.\n`);
  // Nothing asked for was judged: there is no report to print, only the reasons above.
  if (asked.length && missing.length === new Set(asked).size) return EXIT.usage;
  const report = settings.remediationMode === 'on' ? await remediate(planned, account, flags, io) : planned;
  if (flags.saveWorld && account.simulated) {
    await writeFile(flags.saveWorld, `${JSON.stringify(account.simulated.snapshot(), null, 2)}\n`);
  }
  if (flags.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderTable(report, io.color, io.columns));
  return report.findings.length > 0 ? EXIT.findings : EXIT.clean;
}

async function explainMissing(
  asked: readonly string[],
  report: Report,
  inventory: Inventory,
  account: OpenAccount,
  filter: ((i: Instance) => boolean) | undefined,
): Promise<NotJudged[]> {
  const running = new Set(inventory.instances.map((i) => i.InstanceId));
  const judged = new Set(report.findings.map((f) => f.instanceId));
  const absent = asked.filter((id) => !running.has(id) && !judged.has(id));
  const states = await instanceStates(account.clients, absent);
  return notJudged(
    asked,
    report,
    inventory.instances,
    inventory.registrations,
    states,
    filter ?? (() => true),
  );
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
    // Appended synchronously: the intent line is on disk before the write it announces.
    ...(flags.journal
      ? { journal: lineJournal((line) => appendFileSync(flags.journal as string, line)) }
      : {}),
  });
  const verified = await verifyFixes(account.clients.ssm, applied.findings, {
    waitSeconds: flags.verifyWait ?? 0,
    now,
  });
  return withFindings(report, verified.findings);
}
