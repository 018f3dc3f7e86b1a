/**
 * `npm run demo -- [WORLD] [--trace FILE]`: the deployed service's main job, run here on the
 * bundled sample account (or WORLD). The stack is synthesized and its state machine executed
 * locally, each task running its real Lambda handler under the role, environment and clients the
 * template gives its function; AWS is the simulated account, DynamoDB is dynalite on loopback. It
 * prints progress per state, the run summary and the email that would be sent — twice: as deployed
 * (dry-run), then after switching remediation on with one SSM parameter.
 *
 * `--trace FILE` writes one JSON line per AWS call the local run served:
 * `{"state", "action", "resource", "allowed"}`, so anyone can check the calls against the template.
 */
import { createWriteStream } from 'node:fs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { createClients } from '../lambdas/aws/clients.ts';
import { loadWorld, SimulatedAccount, WorldError } from '../lambdas/sim/index.ts';
import { localDeployment } from '../test/support/local/definition.ts';
import { startLocalDynamo } from '../test/support/local/dynamo-local.ts';
import {
  deployedInto,
  type LocalEvent,
  type LocalRun,
  runLocally,
  SETTINGS_PREFIX,
} from '../test/support/local/run-locally.ts';

const USAGE = 'usage: npm run demo -- [WORLD.json] [--trace FILE.jsonl]';

function parseArgs(args: string[]): { world: string; trace?: string } {
  let world: string | undefined;
  let trace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--trace') {
      trace = args[++i];
      if (!trace) throw new Error(`--trace needs a file name.\n${USAGE}`);
    } else if (arg.startsWith('--trace=')) {
      trace = arg.slice('--trace='.length);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}.\n${USAGE}`);
    } else if (world) {
      throw new Error(`only one world file is accepted (got ${world} and ${arg}).\n${USAGE}`);
    } else {
      world = arg;
    }
  }
  return { world: world ?? 'examples/worlds/sample-fleet.json', ...(trace ? { trace } : {}) };
}

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

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const world = await loadWorld(options.world);
  console.log(`ssm-doctor demo: the workflow of the deployed stack, run locally on ${options.world}\n`);
  const dynamo = await startLocalDynamo();
  const trace = options.trace ? createWriteStream(options.trace) : undefined;
  try {
    const deployment = localDeployment(world, dynamo.tableName);
    console.log(
      `${elapsed()}  synthesized the stack; running its state machine (${Object.keys(deployment.definition.States).length} states), each task under its own role\n`,
    );
    const account = new SimulatedAccount(deployedInto(world, deployment), {
      ...(trace
        ? {
            trace: ({ state, action, resource, allowed }) =>
              trace.write(`${JSON.stringify({ state, action, resource, allowed })}\n`),
          }
        : {}),
    });
    console.log('Run 1: the stack as deployed (remediation-mode=dry-run)\n');
    const first = await runLocally({ deployment, world, dynamo, account, onEvent: progress });
    summarize(first);

    console.log('\n$ aws ssm put-parameter --name /ssm-doctor/remediation-mode --value on --overwrite');
    const ssm = createClients({ region: account.region, simulated: account }).ssm;
    await ssm.send(
      new PutParameterCommand({ Name: `${SETTINGS_PREFIX}remediation-mode`, Value: 'on', Overwrite: true }),
    );
    console.log('\nRun 2: the next scheduled run, now allowed to fix the safe causes\n');
    const emailsSoFar = account.published.length;
    const eventsSoFar = account.events.length;
    const second = await runLocally({ deployment, world, dynamo, account, onEvent: progress });
    summarize(second, emailsSoFar, eventsSoFar);
    for (const change of account.changes) console.log(`  changed: ${change.action} on ${change.target}`);
    if (options.trace)
      console.log(`\nTrace of every AWS call (state, action, resource, allowed): ${options.trace}`);
    return first.status === 'SUCCEEDED' && second.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await dynamo.close();
    await new Promise<void>((resolve) => (trace ? trace.end(resolve) : resolve()));
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  const message = error instanceof WorldError || error instanceof Error ? error.message : String(error);
  console.error(`demo: ${message}`);
  process.exitCode = 2;
}
