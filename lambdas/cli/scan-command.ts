/** `ssm-doctor scan`: one report, printed in the asked format. */
import type { Settings } from '../engine/settings.ts';
import { scan } from '../pipeline/scan.ts';
import { openAccount } from './account.ts';
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

export async function runScan(flags: ScanFlags, io: CliIo): Promise<number> {
  if (flags.remediation === 'on') {
    throw new UsageError('--remediation on is not available yet; use off or dry-run.');
  }
  if (flags.saveWorld && !flags.world) throw new UsageError('--save-world needs --world.');
  const settings = settingsFromFlags(flags);
  const account = await openAccount(flags, io.env);
  const report = await scan(
    account.clients,
    { ...account.identity, region: account.clients.region, now: account.now, settings },
    flags.instance?.length ? { instanceIds: flags.instance } : {},
  );
  if (flags.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderTable(report, io.color));
  return report.findings.length > 0 ? EXIT.findings : EXIT.clean;
}
