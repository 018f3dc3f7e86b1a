/**
 * `ssm-doctor`: the engine from a laptop. `scan` diagnoses an account (read-only unless fixes are
 * asked for) or a world file offline; `record` snapshots an account as a world file;
 * `permissions` prints the least-privilege policy these need. Exit codes: 0 no findings,
 * 1 findings, 2 usage or input error (message on stderr, nothing on stdout).
 */

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { WorldError } from '../sim/world.ts';
import { type CliIo, EXIT, UsageError } from './io.ts';
import { instanceIdParser, settingParser, tagParser, vpcIdParser } from './options.ts';
import { runPermissions } from './permissions-command.ts';
import { runRecord } from './record-command.ts';
import { runScan, type ScanFlags } from './scan-command.ts';

/** The package version, read once (the CLI runs from the source tree). */
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function program(io: CliIo, exit: { code: number }): Command {
  const root = new Command('ssm-doctor')
    .description('Find EC2 instances that Systems Manager does not manage, and why.')
    .version(VERSION, '--version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(text) });

  root
    .command('scan')
    .description('Diagnose every running instance that Systems Manager does not manage.')
    .option('--world <file>', 'scan a world file offline instead of an AWS account')
    .option('--region <region>', 'AWS region (default: from the AWS config)')
    .option('--profile <name>', 'named AWS profile (default: the default credential chain)')
    .option('--instance <id>', 'only this instance (repeatable)', instanceIdParser)
    .option('--vpc <id>', 'only instances in this VPC (repeatable: any of them)', vpcIdParser)
    .option('--tag <key=value>', 'only instances with this tag (repeatable: all of them)', tagParser)
    .addOption(
      new Option('--remediation <mode>', 'fix the safe causes')
        .choices(['off', 'dry-run', 'on'])
        .default('off'),
    )
    .option('--enforce-imdsv2', 'also require IMDSv2 where tokens are optional and IMDSv1 is unused')
    .option(
      '--max-remediations <n>',
      'cap on fixes per run (default 10)',
      settingParser('maxRemediationsPerRun'),
    )
    .option(
      '--grace-minutes <n>',
      'ignore instances launched less than this ago (default 15)',
      settingParser('gracePeriodMinutes'),
    )
    .option(
      '--imdsv1-lookback-days <n>',
      'days of MetadataNoToken that must be 0 (default 14)',
      settingParser('imdsV1LookbackDays'),
    )
    .option(
      '--instance-profile <name>',
      'instance profile that attach-instance-profile associates (needed with --remediation on)',
    )
    .option('--save-world <file>', 'with --world: write the world after fixes, so a second scan sees them')
    .option(
      '--journal <file>',
      'with --remediation on: append each change to this file as JSON lines (intent before the write, outcome after)',
    )
    .option(
      '--verify-wait <seconds>',
      'after fixes, poll SSM this long for the instances to come Online',
      wholeSeconds,
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .action(async (flags: ScanFlags) => {
      exit.code = await runScan(flags, io);
    });

  root
    .command('record')
    .description('Write a world file of an AWS account/region, using read calls only.')
    .requiredOption('--out <file>', 'where to write the world file')
    .option('--region <region>', 'AWS region (default: from the AWS config)')
    .option('--profile <name>', 'named AWS profile')
    .option('--world <file>', 'record a simulated account instead (how the recorder itself is tested)')
    .action(async (flags: { out: string; region?: string; profile?: string; world?: string }) => {
      exit.code = await runRecord(flags, io);
    });

  root
    .command('permissions')
    .description('Print the least-privilege IAM policy for scan (with --fix: for fixes too).')
    .option('--fix', 'include the remediation permissions')
    .option('--record', 'include what `record` needs beyond a scan')
    .option('--partition <partition>', 'aws, aws-cn or aws-us-gov', 'aws')
    .action((flags: { fix?: boolean; record?: boolean; partition: string }) => {
      exit.code = runPermissions(flags, io);
    });
  return root;
}

function wholeSeconds(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 3600)
    throw new UsageError('--verify-wait: expected whole seconds from 0 to 3600.');
  return Number(value);
}

/** Runs the CLI and returns the exit code; never throws for anything a user can cause. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const exit = { code: EXIT.clean as number };
  try {
    await program(io, exit).parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.clean : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof WorldError) {
      io.stderr(`ssm-doctor: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`ssm-doctor: ${describeFailure(error)}\n`);
    return EXIT.usage;
  }
}

/** AWS and credential failures in words, without a stack trace. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { Code?: string }).Code ?? error.name;
    return code && code !== 'Error' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
