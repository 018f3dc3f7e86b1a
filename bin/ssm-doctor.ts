#!/usr/bin/env -S node --import tsx
/** Entry point of the `ssm-doctor` CLI (see lambdas/cli/main.ts). */
import { runCli } from '../lambdas/cli/main.ts';

// `ssm-doctor scan | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  progress: Boolean(process.stderr.isTTY),
  ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  env: process.env,
});
