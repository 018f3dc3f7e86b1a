/**
 * One benchmark run: the real scan pipeline in this process, against a simulated account serving
 * `world` through the real SDK clients, optionally with a fixed latency per call.
 */
import { createClients } from '../../../lambdas/aws/clients.ts';
import { DEFAULT_SETTINGS } from '../../../lambdas/engine/settings.ts';
import { scan } from '../../../lambdas/pipeline/scan.ts';
import { SimulatedAccount, type World } from '../../../lambdas/sim/index.ts';

export interface RunResult {
  label: string;
  instances: number;
  candidates: number;
  latencyMs: number;
  /** Attempts per IAM-style action, sorted by name. */
  calls: Record<string, number>;
  totalCalls: number;
  wallMs: number;
  /** Peak resident set size of the process so far, in MB. */
  peakRssMb: number;
}

export async function measureScan(label: string, world: World, latencyMs: number): Promise<RunResult> {
  const account = new SimulatedAccount(world, { latencyMs });
  const started = performance.now();
  const clients = createClients({ region: account.region, simulated: account });
  const report = await scan(clients, {
    accountId: account.accountId,
    partition: 'aws',
    region: account.region,
    now: account.now(),
    settings: { ...DEFAULT_SETTINGS, remediationMode: 'dry-run' },
  });
  const wallMs = performance.now() - started;
  return {
    label,
    instances: report.summary.runningInstances,
    candidates: report.findings.length,
    latencyMs,
    calls: account.callCounts(),
    totalCalls: account.totalCalls(),
    wallMs,
    peakRssMb: peakRssMb(),
  };
}

/** `maxRSS` is reported in kilobytes. */
export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
