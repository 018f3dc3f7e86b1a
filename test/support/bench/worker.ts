/**
 * One benchmark measurement in a fresh process (started by `benchmark.ts`): generate the world,
 * then either scan it (the CLI path) or run the deployed workflow on it, and send the result to
 * the parent. A process per measurement keeps one run's garbage out of the next one's peak RSS.
 */
import './loopback-only.ts';
import type { GenerateOptions } from './generate-world.ts';
import type { RunResult } from './measure.ts';
import type { WorkflowResult } from './measure-workflow.ts';

export interface WorkerRequest {
  kind: 'scan' | 'workflow';
  label: string;
  world: GenerateOptions;
  latencyMs: number;
  /** Workflow only: the memory size each stage runs as if its function had (MB). */
  stageMemoryMb?: number;
}

export type WorkerReply =
  | { ok: true; kind: 'scan'; run: RunResult }
  | { ok: true; kind: 'workflow'; run: WorkflowResult }
  | { ok: false; error: string };

async function main(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'workflow') {
    const { generateWorld } = await import('./generate-world.ts');
    const { measureWorkflow } = await import('./measure-workflow.ts');
    const world = generateWorld(request.world);
    // With latency, only the first run's wall time is wanted: the figures come from the offline run.
    const run = await measureWorkflow(
      world,
      request.stageMemoryMb ?? 512,
      request.latencyMs,
      request.latencyMs === 0,
    );
    return { ok: true, kind: 'workflow', run };
  }
  const { generateWorld } = await import('./generate-world.ts');
  const { measureScan } = await import('./measure.ts');
  return {
    ok: true,
    kind: 'scan',
    run: await measureScan(request.label, generateWorld(request.world), request.latencyMs),
  };
}

const send = (reply: WorkerReply) =>
  new Promise<void>((resolve) => {
    if (process.send) process.send(reply, () => resolve());
    else resolve();
  });

try {
  await send(await main(JSON.parse(process.argv[2] ?? '{}') as WorkerRequest));
} catch (error) {
  await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
