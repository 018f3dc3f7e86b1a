#!/usr/bin/env node
/**
 * `npm run bench`: scans generated 1,000- and 10,000-instance accounts, each run in a process of its
 * own (so one run's memory does not inflate the next one's peak RSS), against the simulated account (never the network) and checks the scale targets. The last line of output is
 * the JSON summary of the 10,000-instance world; the exit code is 1 when a target is missed.
 */
import { runBenchmark } from '../test/support/bench/benchmark.ts';

// Simulated clients use static credentials; nothing may look for real ones or for IMDS.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const outcome = await runBenchmark((line) => console.log(line));
console.log(JSON.stringify(outcome.summary));
process.exitCode = outcome.targets.every((target) => target.ok) ? 0 : 1;
