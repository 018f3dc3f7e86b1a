/**
 * `npm run bench`: generated accounts of 1,000 and 10,000 running instances (10% candidates), and
 * the 10,000 one with twice the candidates over the same VPCs and roles, each scanned offline and
 * with a simulated latency per call. Prints calls per operation, wall time and peak RSS per run,
 * whether each scale target holds, and last a one-line JSON summary of the 10,000-instance world.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './measure.ts';
import { evaluateTargets, type TargetResult } from './targets.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export const LATENCY_MS = 25;
const SHAPE = { vpcs: 50, roles: 200, seed: 20261126 } as const;

export interface BenchmarkOutcome {
  runs: RunResult[];
  targets: TargetResult[];
  summary: {
    instances: number;
    candidates: number;
    apiCalls: number;
    wallMs: number;
    latencyWallMs: number;
    peakRssMb: number;
  };
}

export async function runBenchmark(log: (line: string) => void): Promise<BenchmarkOutcome> {
  const runs: RunResult[] = [];
  const measure = async (label: string, instances: number, candidateShare: number) => {
    const world = { instances, candidateShare, ...SHAPE };
    const pair: RunResult[] = [];
    for (const latencyMs of [0, LATENCY_MS]) {
      const run = await inChild({
        label: `${label}, ${latencyMs ? `${latencyMs} ms/call` : 'offline'}`,
        world,
        latencyMs,
      });
      printRun(log, run);
      runs.push(run);
      pair.push(run);
    }
    return { offline: pair[0] as RunResult, latency: pair[1] as RunResult };
  };

  await measure('1,000 instances', 1_000, 0.1);
  const base = await measure('10,000 instances', 10_000, 0.1);
  const doubled = await measure('10,000 instances, doubled candidates', 10_000, 0.2);

  const targets = evaluateTargets({ base, doubled, all: runs });
  log('');
  log('Targets');
  for (const target of targets) log(`  ${target.ok ? 'ok  ' : 'FAIL'} ${target.name}: ${target.measured}`);
  return {
    runs,
    targets,
    summary: {
      instances: base.offline.instances,
      candidates: base.offline.candidates,
      apiCalls: base.offline.totalCalls,
      wallMs: Math.round(base.offline.wallMs),
      latencyWallMs: Math.round(base.latency.wallMs),
      peakRssMb: Math.round(Math.max(base.offline.peakRssMb, base.latency.peakRssMb)),
    },
  };
}

/** One run in a fresh Node process (same loader flags, e.g. `--import tsx`). */
function inChild(request: WorkerRequest): Promise<RunResult> {
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx'))
    ? process.execArgv
    : [...process.execArgv, '--import', 'tsx'];
  const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [JSON.stringify(request)], {
    execArgv,
  });
  return new Promise((resolve, reject) => {
    let reply: WorkerReply | undefined;
    child.on('message', (message) => {
      reply = message as WorkerReply;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (reply?.ok) resolve(reply.run);
      else
        reject(
          new Error(
            `benchmark worker for ${request.label} failed (exit ${code}): ${reply?.ok === false ? reply.error : 'no result'}`,
          ),
        );
    });
  });
}

function printRun(log: (line: string) => void, run: RunResult) {
  log('');
  log(`== ${run.label}: ${run.instances} running, ${run.candidates} candidates`);
  const width = Math.max(...Object.keys(run.calls).map((name) => name.length));
  for (const [operation, count] of Object.entries(run.calls))
    log(`   ${operation.padEnd(width)} ${String(count).padStart(5)}`);
  log(
    `   total ${run.totalCalls} calls, ${Math.round(run.wallMs)} ms, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
  );
}
