/**
 * `npm run bench`: generated accounts (10% candidates unless said otherwise) measured on both
 * paths — the CLI scan (offline and with a simulated latency per call) and the deployed workflow
 * (the synthesized state machine run locally, each state under its synthesized role, dynalite for
 * DynamoDB, twice: the second run changes nothing). Each measurement runs in a process of its own.
 * Prints the calls per operation and the figures per world, whether each scale target holds, and
 * one JSON line per world; the 10,000-instance / 1,000-candidate line comes last.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GenerateOptions } from './generate-world.ts';
import type { RunResult } from './measure.ts';
import type { WorkflowResult } from './measure-workflow.ts';
import { evaluateTargets, TARGETS, type TargetResult, type WorldMeasurement } from './targets.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export const LATENCY_MS = 25;
export const SHAPE = { vpcs: 50, roles: 200, seed: 20261126 } as const;

export interface WorldSpec {
  label: string;
  instances: number;
  candidateShare: number;
}

/** The 10,000-instance, 10% world goes last: scripts read the last line. */
export const WORLDS: WorldSpec[] = [
  { label: '1k', instances: 1_000, candidateShare: 0.1 },
  { label: '100k', instances: 100_000, candidateShare: 0.1 },
  { label: '10k-doubled', instances: 10_000, candidateShare: 0.2 },
  { label: '10k', instances: 10_000, candidateShare: 0.1 },
];

export interface BenchmarkOutcome {
  worlds: WorldMeasurement[];
  targets: TargetResult[];
}

export interface BenchmarkOptions {
  /** The memory size each workflow stage runs as if its function had (MB); default: the target. */
  stageMemoryMb?: number;
}

export async function runBenchmark(
  log: (line: string) => void,
  worlds: readonly WorldSpec[] = WORLDS,
  options: BenchmarkOptions = {},
): Promise<BenchmarkOutcome> {
  const stageMemoryMb = options.stageMemoryMb ?? TARGETS.workflow.maxStageRssMb;
  const measured: WorldMeasurement[] = [];
  for (const spec of worlds) {
    const world: GenerateOptions = {
      instances: spec.instances,
      candidateShare: spec.candidateShare,
      ...SHAPE,
    };
    const offline = await scanInChild(`${spec.label} scan, offline`, world, 0);
    const latency = await scanInChild(`${spec.label} scan, ${LATENCY_MS} ms/call`, world, LATENCY_MS);
    const workflow = await workflowInChild(`${spec.label} workflow`, world, 0, stageMemoryMb);
    const workflowLatency = await workflowInChild(
      `${spec.label} workflow, ${LATENCY_MS} ms/call`,
      world,
      LATENCY_MS,
      stageMemoryMb,
    );
    const m: WorldMeasurement = {
      spec,
      offline,
      latency,
      workflow: {
        ...workflow,
        latencyWallMs: workflowLatency.completed ? workflowLatency.wallMs : undefined,
      },
    };
    printWorld(log, m);
    measured.push(m);
  }
  const targets = evaluateTargets(measured);
  log('');
  log('Targets');
  for (const target of targets) log(`  ${target.ok ? 'ok  ' : 'FAIL'} ${target.name}: ${target.measured}`);
  log('');
  for (const m of measured) log(JSON.stringify(summaryLine(m)));
  return { worlds: measured, targets };
}

/** The JSON line of one world: the CLI scan's keys as before, and the workflow's beside them. */
export function summaryLine(m: WorldMeasurement) {
  const w = m.workflow;
  return {
    instances: m.offline.instances,
    candidates: m.offline.candidates,
    apiCalls: m.offline.totalCalls,
    wallMs: Math.round(m.offline.wallMs),
    latencyWallMs: Math.round(m.latency.wallMs),
    peakRssMb: Math.round(Math.max(m.offline.peakRssMb, m.latency.peakRssMb)),
    workflow: {
      apiCalls: w.apiCalls,
      writeUnits: w.writeUnits,
      writeUnitsSecondRun: w.writeUnitsSecondRun,
      maxStageRssMb: w.maxStageRssMb,
      maxPayloadBytes: w.maxPayloadBytes,
      completed: w.completed,
      wallMs: Math.round(w.wallMs),
      ...(w.latencyWallMs !== undefined ? { latencyWallMs: Math.round(w.latencyWallMs) } : {}),
      writes: w.writes,
      largestItemBytes: w.largestItemBytes,
    },
  };
}

function fail(label: string, error: string, stageMemoryMb: number): WorkflowResult {
  return {
    completed: false,
    error: `${label}: ${error}`,
    apiCalls: 0,
    calls: {},
    writes: 0,
    writeUnits: 0,
    writeUnitsSecondRun: 0,
    largestItemBytes: 0,
    maxPayloadBytes: 0,
    stageMemoryMb,
    stageRssMb: {},
    stageIdleRssMb: {},
    stageCpuSeconds: {},
    stageFailures: {},
    maxStageRssMb: 0,
    wallMs: 0,
  };
}

async function scanInChild(label: string, world: GenerateOptions, latencyMs: number): Promise<RunResult> {
  const reply = await inChild({ kind: 'scan', label, world, latencyMs });
  if (reply.ok && reply.kind === 'scan') return reply.run;
  throw new Error(`benchmark scan ${label} failed: ${reply.ok ? 'wrong reply' : reply.error}`);
}

/** A workflow that dies (out of memory, say) is a measurement too: `completed: false`, with why. */
async function workflowInChild(
  label: string,
  world: GenerateOptions,
  latencyMs: number,
  stageMemoryMb: number,
): Promise<WorkflowResult> {
  const reply = await inChild({ kind: 'workflow', label, world, latencyMs, stageMemoryMb }).catch(
    (error: Error) => ({ ok: false, error: error.message }) as const,
  );
  if (reply.ok && reply.kind === 'workflow') return reply.run;
  return fail(label, reply.ok ? 'wrong reply' : reply.error, stageMemoryMb);
}

/** One measurement in a fresh Node process (same loader flags, e.g. `--import tsx`), GC exposed. */
function inChild(request: WorkerRequest): Promise<WorkerReply> {
  const loader = process.execArgv.some((arg) => arg.includes('tsx')) ? [] : ['--import', 'tsx'];
  const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [JSON.stringify(request)], {
    execArgv: [...process.execArgv, ...loader, '--expose-gc'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let reply: WorkerReply | undefined;
    child.on('message', (message) => {
      reply = message as WorkerReply;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (reply) resolve(reply);
      else reject(new Error(`exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

function printRun(
  log: (line: string) => void,
  title: string,
  calls: Record<string, number>,
  total: number,
  extra: string,
) {
  log(`   ${title}: ${total} calls, ${extra}`);
  const width = Math.max(0, ...Object.keys(calls).map((name) => name.length));
  for (const [operation, count] of Object.entries(calls))
    log(`     ${operation.padEnd(width)} ${String(count).padStart(6)}`);
}

function printWorld(log: (line: string) => void, m: WorldMeasurement) {
  const { offline, latency, workflow: w } = m;
  log('');
  log(`== ${m.spec.label}: ${offline.instances} running, ${offline.candidates} candidates`);
  printRun(
    log,
    'CLI scan',
    offline.calls,
    offline.totalCalls,
    `${Math.round(offline.wallMs)} ms offline, ${Math.round(latency.wallMs)} ms at ${LATENCY_MS} ms/call, peak RSS ${Math.round(Math.max(offline.peakRssMb, latency.peakRssMb))} MB`,
  );
  if (!w.completed && w.apiCalls === 0) {
    log(`   workflow: did not complete: ${w.error}`);
    return;
  }
  printRun(
    log,
    `workflow${w.completed ? '' : ` (did NOT complete: ${w.error})`}`,
    w.calls,
    w.apiCalls,
    `${Math.round(w.wallMs)} ms offline, ${w.latencyWallMs === undefined ? 'did not complete' : `${Math.round(w.latencyWallMs)} ms`} at ${LATENCY_MS} ms/call; DynamoDB ${w.writes} writes, ${w.writeUnits} write units (second run ${w.writeUnitsSecondRun}), largest item ${w.largestItemBytes} B; largest state payload ${w.maxPayloadBytes} B`,
  );
  log(
    `     stage peak RSS, each in its own process as a ${w.stageMemoryMb} MB function (MB): ${JSON.stringify(w.stageRssMb)}`,
  );
  log(
    `     stage process RSS with its handler loaded, before any work (MB): ${JSON.stringify(w.stageIdleRssMb)}`,
  );
  log(`     most CPU one invocation used (s, its own process): ${JSON.stringify(w.stageCpuSeconds)}`);
  for (const [state, why] of Object.entries(w.stageFailures)) log(`     ${state}: a process ${why}`);
}
