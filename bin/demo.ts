/**
 * `npm run demo`: the deployed service's main job, run here on the bundled sample account. The
 * state machine definition is synthesized from the real stack and executed locally, each task
 * running its real stage code; AWS is the simulated account, DynamoDB is dynalite on loopback.
 * It prints progress per state, the run summary and the email that would be sent — twice: as
 * deployed (dry-run), then after switching remediation on with one SSM parameter.
 */

import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { createClients } from '../lambdas/aws/clients.ts';
import { loadWorld } from '../lambdas/sim/index.ts';
import { synthesizedDefinition } from '../test/support/local/definition.ts';
import { startLocalDynamo } from '../test/support/local/dynamo-local.ts';
import {
  type LocalEvent,
  type LocalRun,
  runLocally,
  SETTINGS_PREFIX,
} from '../test/support/local/run-locally.ts';

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
  const world = await loadWorld(WORLD);
  console.log('Run 1: the stack as deployed (remediation-mode=dry-run)\n');
  const first = await runLocally({ definition, world, dynamo, onEvent: progress });
  summarize(first);

  console.log('\n$ aws ssm put-parameter --name /ssm-doctor/remediation-mode --value on --overwrite');
  const ssm = createClients({ region: first.account.region, simulated: first.account }).ssm;
  await ssm.send(
    new PutParameterCommand({ Name: `${SETTINGS_PREFIX}remediation-mode`, Value: 'on', Overwrite: true }),
  );
  console.log('\nRun 2: the next scheduled run, now allowed to fix the safe causes\n');
  const emailsSoFar = first.account.published.length;
  const eventsSoFar = first.account.events.length;
  const second = await runLocally({ definition, world, dynamo, account: first.account, onEvent: progress });
  summarize(second, emailsSoFar, eventsSoFar);
  for (const change of second.account.changes) {
    console.log(`  changed: ${change.action} on ${change.target}`);
  }
  process.exitCode = first.status === 'SUCCEEDED' && second.status === 'SUCCEEDED' ? 0 : 1;
} finally {
  await dynamo.close();
}

function summarize(run: LocalRun, emailsBefore = 0, eventsBefore = 0): void {
  console.log(`\nExecution ${run.status}: ${JSON.stringify(run.output ?? run.error)}`);
  const calls = run.account.callCounts();
  const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
  console.log(`AWS calls served by the simulated account so far: ${total}`);
  const events = new Map<string, number>();
  for (const e of run.account.events.slice(eventsBefore))
    events.set(e.DetailType, (events.get(e.DetailType) ?? 0) + 1);
  const counts = [...events].map(([type, n]) => `${n} ${type}`).join(', ');
  console.log(`EventBridge events on the default bus (source ssm-doctor): ${counts || 'none'}`);
  console.log(
    `Full report kept: ${run.account.objects
      .slice(-2)
      .map((o) => `s3://${o.Bucket}/${o.Key}`)
      .join(', ')}`,
  );
  const emails = run.account.published.slice(emailsBefore);
  for (const email of emails)
    console.log(`\n──── Email to the SNS topic ────\nSubject: ${email.Subject}\n\n${email.Message}`);
  if (!emails.length) console.log('\nNo email: nothing changed since the last run.');
}
