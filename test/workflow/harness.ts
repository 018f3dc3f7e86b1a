/** One synthesized stack for the file, and a fresh table per run so tests never share a lock or ledger. */
import type { Report } from '../../lambdas/engine/report-model.ts';
import type { SimulatedAccount } from '../../lambdas/sim/account.ts';
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

/** The full report a run kept in the report bucket (`runs/…/report.json`), the latest one if several. */
export function archivedReport(account: SimulatedAccount): Report {
  const stored = account.objects.filter((o) => o.Key.startsWith('runs/') && o.Key.endsWith('/report.json'));
  const last = stored.at(-1);
  if (!last) throw new Error('No report was kept in the report bucket');
  return JSON.parse(last.Body) as Report;
}
