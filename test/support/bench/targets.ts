/**
 * The scale targets, as checks: DESIGN.md ("a 10,000-instance region is a normal day") for the CLI
 * scan, and issue 11 ("the deployed workflow at the floor") for the workflow.
 */
import type { WorldSpec } from './benchmark.ts';
import type { RunResult } from './measure.ts';
import type { WorkflowResult } from './measure-workflow.ts';

export const TARGETS = {
  maxCalls: 1_500,
  maxDoublingGrowth: 0.25,
  maxOfflineMs: 10_000,
  maxLatencyMs: 30_000,
  maxRssMb: 512,
  workflow: {
    maxCalls10k: 1_000,
    /** One API may exceed this only where calls are per page or per instance by nature. */
    maxCallsPerApi: 100,
    perPageOrInstance: ['ssm:DescribeInstanceInformation', 'ec2:GetConsoleOutput'],
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
    const cli = growth(base.offline.totalCalls, doubled.offline.totalCalls);
    add(
      `CLI: doubling the candidates adds < ${TARGETS.maxDoublingGrowth * 100}% calls`,
      cli < TARGETS.maxDoublingGrowth,
      `+${(cli * 100).toFixed(1)}% (${base.offline.totalCalls} -> ${doubled.offline.totalCalls})`,
    );
    const wf = growth(base.workflow.apiCalls, doubled.workflow.apiCalls);
    add(
      `workflow: doubling the candidates adds < ${TARGETS.maxDoublingGrowth * 100}% calls`,
      base.workflow.completed && doubled.workflow.completed && wf < TARGETS.maxDoublingGrowth,
      `+${(wf * 100).toFixed(1)}% (${base.workflow.apiCalls} -> ${doubled.workflow.apiCalls})`,
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
