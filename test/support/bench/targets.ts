/**
 * The scale targets, as checks: DESIGN.md ("a 10,000-instance region is a normal day") for the CLI
 * scan, and issue 11 ("the deployed workflow at the floor") for the workflow.
 */
import type { RootCause } from '../../../lambdas/engine/causes.ts';
import type { WorldSpec } from './benchmark.ts';
import { expectedCauses } from './generate-world.ts';
import type { RunResult } from './measure.ts';
import type { WorkflowResult } from './measure-workflow.ts';

export const TARGETS = {
  maxCalls: 1_500,
  maxDoublingGrowth: 0.25,
  /**
   * Calls the contract makes per candidate, whatever the design: console output, one per
   * candidate the outside cannot explain (DESIGN "Diagnosis", issue 10), and events, one call per
   * 10 changed findings (DESIGN "Verify, remember, tell"; 10 entries is PutEvents' limit). Doubling
   * the candidates doubles them by definition, so the doubling target bounds every other call —
   * what the design can share per VPC, role, image, page or run — and these are bounded on their
   * own: at most one console read per candidate, one PutEvents per 10.
   */
  perCandidate: ['ec2:GetConsoleOutput', 'events:PutEvents'],
  /**
   * The generated candidates whose story only the console tells (their root cause from outside is
   * UNKNOWN, INSTANCE_STATUS_IMPAIRED or AGENT_NOT_PREINSTALLED): the console reads may not pass
   * their number, plus 5% for the second read of a type that refuses `Latest`.
   */
  consoleTold: new Set<RootCause>([
    'UNKNOWN',
    'INSTANCE_STATUS_IMPAIRED',
    'AGENT_NOT_PREINSTALLED',
    'AGENT_NOT_RUNNING',
    'INSTANCE_BOOT_FAILED',
    'DISK_FULL',
    'METADATA_UNREACHABLE_FROM_OS',
  ]),
  consoleRetryAllowance: 0.05,
  maxOfflineMs: 10_000,
  maxLatencyMs: 30_000,
  maxRssMb: 512,
  workflow: {
    maxCalls10k: 1_000,
    /** Issue 11's "≤ 1.1 × the CLI scan", on what both do: read the account. */
    maxReadsOverCli: 1.1,
    /**
     * What only the deployed run does, beside reading the account: its events, its email, its
     * work objects and archive in S3, its settings, its own-execution checks.
     */
    ownWork: [/^events:/, /^sns:/, /^s3:/, /^ssm:GetParameters/, /^states:/],
    /** One API may exceed this only where calls are per page or per instance by nature. */
    maxCallsPerApi: 100,
    perPageOrInstance: ['ec2:GetConsoleOutput'],
    maxWriteUnitsPerCandidate: 5,
    maxWriteUnitsPerCandidateSecondRun: 1,
    maxCalls100k: 6_000,
    maxStageRssMb: 512,
    maxPayloadBytes: 16 * 1024,
  },
} as const;

export interface TargetResult {
  name: string;
  ok: boolean;
  measured: string;
}

export interface WorldMeasurement {
  spec: WorldSpec;
  offline: RunResult;
  latency: RunResult;
  workflow: WorkflowResult;
}

interface Calls {
  total: number;
  byApi: Record<string, number>;
}

const cliCalls = (w: WorldMeasurement): Calls => ({ total: w.offline.totalCalls, byApi: w.offline.calls });
const workflowCalls = (w: WorldMeasurement): Calls => ({
  total: w.workflow.apiCalls,
  byApi: w.workflow.calls,
});

/** Every call but the contract's per-candidate ones (`TARGETS.perCandidate`). */
function sharedCalls(calls: Calls): number {
  return TARGETS.perCandidate.reduce((rest, api) => rest - (calls.byApi[api] ?? 0), calls.total);
}

/** The console reads a world's make-up allows: one per candidate only the console explains, plus retries. */
function consoleBound(spec: WorldSpec): { told: number; bound: number } {
  const told = expectedCauses(spec).filter((cause) => TARGETS.consoleTold.has(cause)).length;
  return { told, bound: Math.ceil(told * (1 + TARGETS.consoleRetryAllowance)) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const n = (x: number) => x.toLocaleString('en-US');

export function evaluateTargets(worlds: readonly WorldMeasurement[]): TargetResult[] {
  const find = (label: string) => worlds.find((w) => w.spec.label === label);
  const base = find('10k');
  const doubled = find('10k-doubled');
  const big = find('100k');
  const targets: TargetResult[] = [];
  const add = (name: string, ok: boolean, measured: string) => targets.push({ name, ok, measured });
  const growth = (a: number, b: number) => (b - a) / a;
  if (base) {
    add(
      `CLI: API calls for 10,000 instances <= ${n(TARGETS.maxCalls)}`,
      base.offline.totalCalls <= TARGETS.maxCalls,
      `${base.offline.totalCalls}`,
    );
    const w = base.workflow;
    add(
      `workflow: API calls for 10,000 instances <= ${n(TARGETS.workflow.maxCalls10k)}`,
      w.completed && w.apiCalls <= TARGETS.workflow.maxCalls10k,
      `${w.apiCalls} (CLI ${base.offline.totalCalls})`,
    );
    const own = Object.entries(w.calls)
      .filter(([api]) => TARGETS.workflow.ownWork.some((pattern) => pattern.test(api)))
      .reduce((sum, [, count]) => sum + count, 0);
    const reads = w.apiCalls - own;
    add(
      `workflow: reads of the account <= ${TARGETS.workflow.maxReadsOverCli} x the CLI scan's at 10,000`,
      w.completed && reads <= TARGETS.workflow.maxReadsOverCli * base.offline.totalCalls,
      `${reads} (${(reads / base.offline.totalCalls).toFixed(2)} x ${base.offline.totalCalls}; its own work: ${own} more calls — events, email, S3, settings)`,
    );
    const heavy = Object.entries(w.calls).filter(
      ([api, count]) =>
        count > TARGETS.workflow.maxCallsPerApi &&
        !(TARGETS.workflow.perPageOrInstance as readonly string[]).includes(api),
    );
    add(
      `workflow: no API above ${TARGETS.workflow.maxCallsPerApi} calls (but per-page/per-instance ones) at 10,000`,
      heavy.length === 0,
      heavy.map(([a, c]) => `${a} ${c}`).join(', ') || 'none',
    );
    const candidates = Math.max(1, base.offline.candidates);
    add(
      `workflow: <= ${TARGETS.workflow.maxWriteUnitsPerCandidate} write units per candidate per run`,
      w.writeUnits / candidates <= TARGETS.workflow.maxWriteUnitsPerCandidate,
      `${(w.writeUnits / candidates).toFixed(1)} (${w.writeUnits})`,
    );
    add(
      `workflow: <= ${TARGETS.workflow.maxWriteUnitsPerCandidateSecondRun} write unit per candidate on a run that changes nothing`,
      w.writeUnitsSecondRun / candidates <= TARGETS.workflow.maxWriteUnitsPerCandidateSecondRun,
      `${(w.writeUnitsSecondRun / candidates).toFixed(1)} (${w.writeUnitsSecondRun})`,
    );
  }
  if (base && doubled) {
    const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
    const doubling = (path: string, a: Calls, b: Calls, completed: boolean) => {
      const shared = growth(sharedCalls(a), sharedCalls(b));
      add(
        `${path}: doubling the candidates adds < ${TARGETS.maxDoublingGrowth * 100}% calls beyond the per-candidate ones`,
        completed && shared < TARGETS.maxDoublingGrowth,
        `${pct(shared)} (${sharedCalls(a)} -> ${sharedCalls(b)}); in all ${pct(growth(a.total, b.total))} (${a.total} -> ${b.total})`,
      );
    };
    doubling('CLI', cliCalls(base), cliCalls(doubled), true);
    doubling(
      'workflow',
      workflowCalls(base),
      workflowCalls(doubled),
      base.workflow.completed && doubled.workflow.completed,
    );
  }
  for (const w of worlds) {
    const { told, bound } = consoleBound(w.spec);
    const cli = w.offline.calls['ec2:GetConsoleOutput'] ?? 0;
    const wf = w.workflow.calls['ec2:GetConsoleOutput'] ?? 0;
    add(
      `console reads at ${w.spec.label}: <= 1 per candidate only the console explains (+${TARGETS.consoleRetryAllowance * 100}%), the same on both paths`,
      cli <= bound && (!w.workflow.completed || wf === cli),
      `CLI ${cli}, workflow ${wf}, for ${told} such of ${w.offline.candidates} candidates`,
    );
    const events = w.workflow.calls['events:PutEvents'] ?? 0;
    add(
      `workflow events at ${w.spec.label}: <= 1 PutEvents per 10 candidates (a first run: each is news)`,
      events <= Math.ceil(w.offline.candidates / 10),
      `${events} for ${w.offline.candidates} candidates`,
    );
  }
  const tenK = worlds.filter((w) => w.spec.instances <= 10_000);
  if (tenK.length) {
    const slowest = (pick: (w: WorldMeasurement) => RunResult) =>
      tenK.map(pick).reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
    const off = slowest((w) => w.offline);
    const lat = slowest((w) => w.latency);
    add(
      `CLI: offline wall time up to 10,000 instances < ${seconds(TARGETS.maxOfflineMs)}`,
      off.wallMs < TARGETS.maxOfflineMs,
      `${seconds(off.wallMs)} (${off.label})`,
    );
    add(
      `CLI: wall time with latency up to 10,000 instances < ${seconds(TARGETS.maxLatencyMs)}`,
      lat.wallMs < TARGETS.maxLatencyMs,
      `${seconds(lat.wallMs)} (${lat.label})`,
    );
    const peak = Math.max(...tenK.map((w) => Math.max(w.offline.peakRssMb, w.latency.peakRssMb)));
    add(
      `CLI: peak RSS up to 10,000 instances < ${TARGETS.maxRssMb} MB`,
      peak < TARGETS.maxRssMb,
      `${peak.toFixed(0)} MB`,
    );
  }
  if (big) {
    const w = big.workflow;
    add(
      'workflow: 100,000 instances complete',
      w.completed,
      w.completed ? 'yes' : `no: ${w.error ?? ''}`.slice(0, 200),
    );
    add(
      `workflow: 100,000 instances in <= ${n(TARGETS.workflow.maxCalls100k)} calls`,
      w.completed && w.apiCalls <= TARGETS.workflow.maxCalls100k,
      `${w.apiCalls}`,
    );
    add(
      `workflow: every stage < ${TARGETS.workflow.maxStageRssMb} MB at 100,000 (peak RSS, each in its own process as a ${w.stageMemoryMb} MB function)`,
      w.completed && w.maxStageRssMb < TARGETS.workflow.maxStageRssMb,
      `${w.maxStageRssMb} MB ${JSON.stringify(w.stageRssMb)}`,
    );
    add(
      `workflow: every state payload < ${TARGETS.workflow.maxPayloadBytes / 1024} KiB at 100,000`,
      w.completed && w.maxPayloadBytes < TARGETS.workflow.maxPayloadBytes,
      `${w.maxPayloadBytes} B`,
    );
  }
  return targets;
}
