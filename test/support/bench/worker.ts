/**
 * One benchmark measurement in a fresh process (started by `benchmark.ts`): generate the world,
 * then either scan it (the CLI path) or run the deployed workflow on it, and send the result to
 * the parent. A process per measurement keeps one run's garbage out of the next one's peak RSS.
 */
import net from 'node:net';
import type { GenerateOptions } from './generate-world.ts';
import type { RunResult } from './measure.ts';
import type { WorkflowResult } from './measure-workflow.ts';

export interface WorkerRequest {
  kind: 'scan' | 'workflow';
  label: string;
  world: GenerateOptions;
  latencyMs: number;
}

export type WorkerReply =
  | { ok: true; kind: 'scan'; run: RunResult }
  | { ok: true; kind: 'workflow'; run: WorkflowResult }
  | { ok: false; error: string };

async function main(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'workflow') {
    // What one Lambda holds before it does anything: the handlers and their SDKs, loaded.
    await Promise.all(
      ['start-run', 'diagnose-batch', 'remediate', 'verify', 'report', 'notify-failure'].map(
        (name) => import(`../../../lambdas/handlers/${name}.ts`),
      ),
    );
    const baselineMb = process.memoryUsage().rss / 1024 / 1024;
    const { generateWorld } = await import('./generate-world.ts');
    const { measureWorkflow } = await import('./measure-workflow.ts');
    // With latency, only the first run's wall time is wanted: the figures come from the offline run.
    const run = await measureWorkflow(
      generateWorld(request.world),
      baselineMb,
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

// Every AWS call is answered by the simulated account; only dynalite on loopback may be reached.
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function loopbackOnly(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string } | number | undefined;
  const host = typeof first === 'object' && first !== null ? (first.host ?? 'localhost') : 'localhost';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) {
    throw new Error(`the benchmark must not open network connections (tried ${host})`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

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
