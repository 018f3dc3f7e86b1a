/**
 * One benchmark run in a fresh process (started by `benchmark.ts`): generate the world, scan it,
 * and send the result to the parent. A process per run keeps one run's garbage from counting
 * against the next run's peak RSS.
 */
import net from 'node:net';
import { type GenerateOptions, generateWorld } from './generate-world.ts';
import { measureScan, type RunResult } from './measure.ts';

export interface WorkerRequest {
  label: string;
  world: GenerateOptions;
  latencyMs: number;
}

export type WorkerReply = { ok: true; run: RunResult } | { ok: false; error: string };

function main(request: WorkerRequest): Promise<RunResult> {
  return measureScan(request.label, generateWorld(request.world), request.latencyMs);
}

// Every call is answered by the simulated account: any socket at all would be a bug.
net.Socket.prototype.connect = function refuseNetwork(): never {
  throw new Error('the benchmark must not open network connections (simulated account only)');
};

const send = (reply: WorkerReply) =>
  new Promise<void>((resolve) => {
    if (process.send) process.send(reply, () => resolve());
    else resolve();
  });

try {
  await send({ ok: true, run: await main(JSON.parse(process.argv[2] ?? '{}') as WorkerRequest) });
} catch (error) {
  await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
