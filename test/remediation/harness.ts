/**
 * Plan on one simulated account, apply on the same (or on a changed copy of its world, to play
 * "something changed between planning and applying"), then look at what happened.
 */
import { type AwsClients, createClients } from '../../lambdas/aws/clients.ts';
import type { Finding, Report } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/engine/settings.ts';
import { type ApplyOptions, type ApplyResult, applyPlan } from '../../lambdas/pipeline/apply.ts';
import { scan } from '../../lambdas/pipeline/scan.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { World } from '../../lambdas/sim/world.ts';
import { FIX_PROFILE } from './worlds.ts';

export interface Simulated {
  account: SimulatedAccount;
  clients: AwsClients;
}

/** `maxAttempts` 3 keeps throttling tests short; the SDK's own retry strategy still runs. */
export function simulate(world: World): Simulated {
  const account = new SimulatedAccount(world);
  return {
    account,
    clients: createClients({ region: world.region, simulated: account, maxAttempts: 3, retry: 'immediate' }),
  };
}

export const settingsFor = (overrides: Partial<Settings> = {}): Settings => ({
  ...DEFAULT_SETTINGS,
  remediationMode: 'on',
  // The worlds here put IMDS causes on purpose: the tests that are about the toggle turn it off.
  enforceImdsV2: true,
  ...overrides,
});

export function planOn(sim: Simulated, settings: Settings): Promise<Report> {
  return scan(sim.clients, {
    accountId: sim.account.accountId,
    partition: 'aws',
    region: sim.account.region,
    now: sim.account.now(),
    settings,
  });
}

export interface Applied extends ApplyResult {
  logs: Record<string, unknown>[];
}

export async function applyOn(
  sim: Simulated,
  report: Report,
  overrides: Partial<ApplyOptions> = {},
): Promise<Applied> {
  const logs: Record<string, unknown>[] = [];
  const result = await applyPlan(sim.clients, report.findings, {
    settings: report.settings,
    partition: 'aws',
    instanceProfile: FIX_PROFILE,
    log: (entry) => logs.push(entry),
    now: () => sim.account.now(),
    ...overrides,
  });
  return { ...result, logs };
}

/** A copy of the account's world, changed, served by a new account: what the applier will find. */
export function changed(sim: Simulated, change: (world: World) => void): Simulated {
  const world = sim.account.snapshot();
  change(world);
  return simulate(world);
}

export const findingOf = (findings: readonly Finding[], instanceId: string): Finding => {
  const finding = findings.find((f) => f.instanceId === instanceId);
  if (!finding) throw new Error(`no finding for ${instanceId}`);
  return finding;
};

/** `fix@target: status(reason)` per remediation, in order, for compact assertions. */
export const outcomes = (findings: readonly Finding[]) =>
  Object.fromEntries(
    findings.map((f) => [
      f.instanceId,
      f.remediations.map((r) => `${r.id}@${r.target}: ${r.status}${r.reason ? `(${r.reason})` : ''}`),
    ]),
  );

/** Writes only: what the applier changed in the account. */
export const writes = (sim: Simulated) =>
  Object.entries(sim.account.callCounts()).filter(([action]) =>
    /AssociateIamInstanceProfile|AttachRolePolicy|ModifyInstanceMetadataOptions/.test(action),
  );
