#!/usr/bin/env node
/**
 * `npm run bench`: the CLI scan and the deployed workflow on generated 1,000-, 10,000- and
 * 100,000-instance accounts (and 10,000 with twice the candidates), against the simulated
 * account (never the network), each measurement in a process of its own. Exit code 1 when a
 * target is missed. `--help` for the options.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { runBenchmark, SHAPE, WORLDS } from '../test/support/bench/benchmark.ts';
import { generateWorld } from '../test/support/bench/generate-world.ts';

// Simulated clients use static credentials; nothing may look for real ones or for IMDS.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const count = (value: string) => {
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed < 100 || parsed > 200_000)
    throw new InvalidArgumentError('a whole number of instances from 100 to 200000.');
  return parsed;
};

const program = new Command('npm run bench --')
  .description(
    'Measures the CLI scan and the deployed workflow on generated accounts (50 VPCs, 200 roles, 10% candidates).\nPrints calls per operation, DynamoDB write units, stage memory and payload sizes, the targets, and one JSON line per world (10,000 instances last).',
  )
  .option('--instances <n>', 'measure only a world of this many instances (10% candidates)', count)
  .option(
    '--stage-memory <mb>',
    'run each workflow stage as if its function had this memory size (heap limits as Lambda sets them)',
    (value: string) => {
      const mb = Number(value);
      if (!Number.isInteger(mb) || mb < 128 || mb > 10_240)
        throw new InvalidArgumentError('a whole number of MB from 128 to 10240, as Lambda takes.');
      return mb;
    },
    512,
  )
  .option(
    '--write-world <file>',
    'with --instances: write the generated world to FILE and exit (scan or demo it)',
  )
  .showHelpAfterError()
  .parse(process.argv);

const options = program.opts<{ instances?: number; writeWorld?: string; stageMemory: number }>();
if (options.writeWorld) {
  const instances = options.instances ?? program.error('--write-world needs --instances N.');
  const world = generateWorld({ instances, candidateShare: 0.1, ...SHAPE });
  writeFileSync(options.writeWorld, JSON.stringify(world));
  console.log(`wrote ${options.writeWorld}: ${world.ec2.Instances.length} instances (10% candidates)`);
} else {
  // A size the full run measures keeps its label, so its targets are checked alone too.
  const known = WORLDS.find((w) => w.instances === options.instances && w.candidateShare === 0.1);
  const worlds = options.instances
    ? [known ?? { label: `${options.instances}`, instances: options.instances, candidateShare: 0.1 }]
    : WORLDS;
  const outcome = await runBenchmark((line) => console.log(line), worlds, {
    stageMemoryMb: options.stageMemory,
  });
  process.exitCode = outcome.targets.every((target) => target.ok) ? 0 : 1;
}
