/** The scale targets of DESIGN.md ("a 10,000-instance region is a normal day"), as checks. */
import type { RunResult } from './measure.ts';

export const TARGETS = {
  maxCalls: 1_500,
  maxDoublingGrowth: 0.25,
  maxOfflineMs: 10_000,
  maxLatencyMs: 30_000,
  maxRssMb: 512,
} as const;

export interface TargetResult {
  name: string;
  ok: boolean;
  measured: string;
}

export interface BenchRuns {
  /** The 10,000-instance world (10% candidates), offline and with latency. */
  base: { offline: RunResult; latency: RunResult };
  /** The same VPCs and roles with twice the candidates. */
  doubled: { offline: RunResult; latency: RunResult };
  all: readonly RunResult[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function evaluateTargets(runs: BenchRuns): TargetResult[] {
  const { base, doubled, all } = runs;
  const growth = (doubled.offline.totalCalls - base.offline.totalCalls) / base.offline.totalCalls;
  const offline = all.filter((r) => r.latencyMs === 0);
  const latency = all.filter((r) => r.latencyMs > 0);
  const slowest = (list: readonly RunResult[]) => list.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  const slowOffline = slowest(offline);
  const slowLatency = slowest(latency);
  const peak = Math.max(...all.map((r) => r.peakRssMb));
  return [
    {
      name: `API calls for ${base.offline.instances.toLocaleString('en-US')} instances <= ${TARGETS.maxCalls.toLocaleString('en-US')}`,
      ok: base.offline.totalCalls <= TARGETS.maxCalls,
      measured: `${base.offline.totalCalls}`,
    },
    {
      name: `doubling the candidates adds < ${TARGETS.maxDoublingGrowth * 100}% calls`,
      ok: growth < TARGETS.maxDoublingGrowth,
      measured: `+${(growth * 100).toFixed(1)}% (${base.offline.totalCalls} -> ${doubled.offline.totalCalls})`,
    },
    {
      name: `offline wall time < ${seconds(TARGETS.maxOfflineMs)}`,
      ok: slowOffline.wallMs < TARGETS.maxOfflineMs,
      measured: `${seconds(slowOffline.wallMs)} (slowest: ${slowOffline.label})`,
    },
    {
      name: `wall time with latency < ${seconds(TARGETS.maxLatencyMs)}`,
      ok: slowLatency.wallMs < TARGETS.maxLatencyMs,
      measured: `${seconds(slowLatency.wallMs)} (slowest: ${slowLatency.label})`,
    },
    {
      name: `peak RSS < ${TARGETS.maxRssMb} MB`,
      ok: peak < TARGETS.maxRssMb,
      measured: `${peak.toFixed(0)} MB`,
    },
  ];
}
