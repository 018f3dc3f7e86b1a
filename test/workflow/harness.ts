/** One synthesized stack for the file, and a fresh table per run so tests never share a lock or ledger. */
import { loadWorld, type World } from '../../lambdas/sim/index.ts';
import { localDeployment } from '../support/local/definition.ts';
import { type LocalDynamo, startLocalDynamo } from '../support/local/dynamo-local.ts';
import { type LocalRun, type LocalRunOptions, runLocally } from '../support/local/run-locally.ts';

export const sampleFleet = () => loadWorld('examples/worlds/sample-fleet.json');

/** Starts dynalite, runs, and leaves the table open for assertions; call `close()` after. */
export async function withTable<T>(work: (dynamo: LocalDynamo) => Promise<T>): Promise<T> {
  const dynamo = await startLocalDynamo();
  try {
    return await work(dynamo);
  } finally {
    await dynamo.close();
  }
}

export function run(
  dynamo: LocalDynamo,
  world: World,
  options: Partial<LocalRunOptions> = {},
): Promise<LocalRun> {
  return runLocally({ deployment: localDeployment(world, dynamo.tableName), world, dynamo, ...options });
}

export const statesEntered = (result: LocalRun) =>
  result.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
