#!/usr/bin/env -S node --import tsx
/** Entry point of the `ssm-doctor` CLI (see lambdas/cli/main.ts). */
import { runCli } from '../lambdas/cli/main.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  env: process.env,
});
