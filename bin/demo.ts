/**
 * `npm run demo`: the deployed service's main job, run here on the bundled sample account. The
 * state machine definition is synthesized from the real stack and executed locally, each task
 * running its real stage code; AWS is the simulated account, DynamoDB is dynalite on loopback.
 * It prints progress per state, the run summary and the email that would be sent.
 */

import { loadWorld } from '../lambdas/sim/index.ts';
import { synthesizedDefinition } from '../lib/local/definition.ts';
import { startLocalDynamo } from '../lib/local/dynamo-local.ts';
import { type LocalEvent, runLocally } from '../lib/local/run-locally.ts';

const WORLD = process.argv[2] ?? 'examples/worlds/sample-fleet.json';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6);

function progress(event: NonNullable<LocalEvent>): void {
  if (event.type === 'StateEntered') {
    const index = event.index === undefined ? '' : ` #${event.index}`;
    console.log(`${elapsed()}  ▶ ${event.state.name}${index}`);
  } else if (event.type === 'StateExited' && event.state.type === 'Task') {
    console.log(`${elapsed()}  ✓ ${event.state.name} → ${JSON.stringify(event.state.output)}`);
  } else if (event.type === 'StateFailed') {
    console.log(`${elapsed()}  ✗ ${event.state.name}: ${event.Error} ${String(event.Cause ?? '')}`);
  }
}

console.log(`ssm-doctor demo: the workflow of the deployed stack, run locally on ${WORLD}\n`);
const definition = synthesizedDefinition();
console.log(
  `${elapsed()}  synthesized the stack; running its state machine (${Object.keys(definition.States).length} states)\n`,
);
const dynamo = await startLocalDynamo();
try {
  const run = await runLocally({ definition, world: await loadWorld(WORLD), dynamo, onEvent: progress });
  console.log(`\nExecution ${run.status} in ${elapsed().trim()}: ${JSON.stringify(run.output ?? run.error)}`);
  const calls = run.account.callCounts();
  const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
  console.log(
    `AWS calls served by the simulated account: ${total} (${Object.entries(calls)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')})`,
  );
  for (const email of run.account.published) {
    console.log(`\n──── Email to the SNS topic ────\nSubject: ${email.Subject}\n\n${email.Message}`);
  }
  if (!run.account.published.length) console.log('\nNo email: nothing changed since the last run.');
  process.exitCode = run.status === 'SUCCEEDED' ? 0 : 1;
} finally {
  await dynamo.close();
}
