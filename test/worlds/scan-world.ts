/** Scans a world in-process: the real pipeline and SDK clients, served by the simulated account. */
import { createClients } from '../../lambdas/aws/clients.ts';
import type { Finding, Report } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/engine/settings.ts';
import { scan } from '../../lambdas/pipeline/scan.ts';
import { loadWorld, SimulatedAccount, type World } from '../../lambdas/sim/index.ts';

export const exampleWorld = (name: string) =>
  loadWorld(new URL(`../../examples/worlds/${name}`, import.meta.url).pathname);

export interface ScannedWorld {
  report: Report;
  account: SimulatedAccount;
  /** Findings by Name tag. */
  byName: Map<string, Finding>;
  /** Instance ids by Name tag (every instance of the world). */
  idOf: (name: string) => string;
}

export async function scanWorld(world: World, settings: Partial<Settings> = {}): Promise<ScannedWorld> {
  const account = new SimulatedAccount(world);
  const clients = createClients({ region: world.region, simulated: account, retry: 'immediate' });
  const report = await scan(clients, {
    accountId: world.accountId,
    partition: 'aws',
    region: world.region,
    now: account.now(),
    settings: { ...DEFAULT_SETTINGS, remediationMode: 'dry-run', ...settings },
  });
  const byName = new Map(report.findings.map((finding) => [finding.name ?? finding.instanceId, finding]));
  const ids = new Map(
    world.ec2.Instances.map((i) => [i.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? '', i.InstanceId]),
  );
  const idOf = (name: string) => {
    const id = ids.get(name);
    if (!id) throw new Error(`no instance named ${name} in the world`);
    return id;
  };
  return { report, account, byName, idOf };
}

/** The finding of the instance named `name`; fails the test if there is none. */
export function findingOf(scanned: ScannedWorld, name: string): Finding {
  const finding = scanned.byName.get(name);
  if (!finding) throw new Error(`no finding for ${name}`);
  return finding;
}
