/**
 * Candidates as they are now: each one's instance read again in full, and one that stopped or
 * vanished since it was listed dropped from the run with a log line. `Start run` uses it after
 * discovery (which kept only what it judges by), `Diagnose batch` on the references it is handed.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.ts';
import { readRunningInstances } from '../aws/inventory.ts';
import type { StageDeps } from './deps.ts';
import type { StageName } from './manifest.ts';

export async function stillRunning<T>(
  deps: { clients: Pick<AwsClients, 'ec2'>; log: StageDeps<StageName>['log'] },
  runId: string,
  items: readonly T[],
  idOf: (item: T) => string,
): Promise<{ item: T; instance: Instance }[]> {
  // An empty id list would read the whole region.
  if (!items.length) return [];
  const now = await readRunningInstances(deps.clients, items.map(idOf));
  const byId = new Map(now.map((instance) => [instance.InstanceId, instance]));
  return items.flatMap((item) => {
    const instance = byId.get(idOf(item));
    if (instance) return [{ item, instance }];
    deps.log('Candidate no longer running: dropped from this run', { runId, instanceId: idOf(item) });
    return [];
  });
}
