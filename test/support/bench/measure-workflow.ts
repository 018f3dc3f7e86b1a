/**
 * One benchmark run of the deployed path: the synthesized state machine run locally (each state
 * under its synthesized role, DynamoDB on dynalite), twice on the same world — the second run
 * changes nothing, so its writes are what a quiet hour costs. Measured: AWS calls by operation,
 * DynamoDB writes and write units (item sizes as DynamoDB counts them), the largest item, each
 * stage's peak memory *as if it ran alone* (see `StageMemory`), the largest state payload, and
 * wall time.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { SimulatedAccount, type World } from '../../../lambdas/sim/index.ts';
import { localDeployment } from '../local/definition.ts';
import { startLocalDynamo } from '../local/dynamo-local.ts';
import { deployedInto, type LocalRun, runLocally } from '../local/run-locally.ts';

export interface WorkflowResult {
  completed: boolean;
  error?: string;
  apiCalls: number;
  calls: Record<string, number>;
  writes: number;
  writeUnits: number;
  writeUnitsSecondRun: number;
  largestItemBytes: number;
  maxPayloadBytes: number;
  /** Per state: estimated peak RSS of one invocation, MB. */
  stageRssMb: Record<string, number>;
  maxStageRssMb: number;
  wallMs: number;
  /** The first run's wall time with `LATENCY_MS` per call (measured in a run of its own). */
  latencyWallMs?: number;
}

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits). */
export function itemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueBytes(value);
  return size;
}

function valueBytes(value: unknown): number {
  const v = value as Record<string, unknown>;
  if (typeof v.S === 'string') return Buffer.byteLength(v.S);
  if (typeof v.N === 'string') return Math.ceil(v.N.replace(/^-|\./g, '').length / 2) + 1;
  if (v.B instanceof Uint8Array) return v.B.byteLength;
  if ('BOOL' in v || 'NULL' in v) return 1;
  if (Array.isArray(v.L)) return 3 + v.L.reduce((sum: number, x) => sum + 1 + valueBytes(x), 0);
  if (v.M && typeof v.M === 'object')
    return 3 + itemBytes(v.M as Record<string, unknown>) + Object.keys(v.M).length;
  if (Array.isArray(v.SS)) return v.SS.reduce((sum: number, x: string) => sum + Buffer.byteLength(x), 0);
  return 0;
}

interface WriteCounter {
  writes: number;
  units: number;
  largest: number;
}

/** Counts write units of every write a client sends: 1 unit per started KB of each item written. */
function countWrites(client: DynamoDBClient, counter: () => WriteCounter): void {
  // biome-ignore lint/suspicious/noExplicitAny: the middleware sees every command's input.
  const middleware: FinalizeRequestMiddleware<any, any> = (next, context) => async (args) => {
    const c = counter();
    const input = args.input as Record<string, unknown>;
    const items: Record<string, unknown>[] = [];
    if (context.commandName === 'PutItemCommand') items.push(input.Item as Record<string, unknown>);
    if (context.commandName === 'DeleteItemCommand' || context.commandName === 'UpdateItemCommand')
      items.push(input.Key as Record<string, unknown>);
    if (context.commandName === 'BatchWriteItemCommand') {
      for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>)) {
        for (const r of requests as {
          PutRequest?: { Item: Record<string, unknown> };
          DeleteRequest?: { Key: Record<string, unknown> };
        }[]) {
          items.push(r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {});
        }
      }
    }
    for (const item of items) {
      const bytes = itemBytes(item ?? {});
      c.writes++;
      c.units += Math.max(1, Math.ceil(bytes / 1024));
      c.largest = Math.max(c.largest, bytes);
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'high',
    name: 'benchWriteCounter',
  });
}

/**
 * A stage's memory as if it ran alone: the heap it grows while it runs (peak heap during its
 * invocations minus the heap when it started, after a full GC, divided among the invocations of
 * that state running at once), on top of what a fresh process with the handlers loaded holds.
 */
class StageMemory {
  readonly peakMb: Record<string, number> = {};
  readonly #running = new Map<string, { start: number; peak: number; concurrent: number }>();
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly baselineMb: number) {
    this.#timer = setInterval(() => this.#sample(), 5);
  }

  #sample(): void {
    const heap = process.memoryUsage().heapUsed;
    for (const entry of this.#running.values()) entry.peak = Math.max(entry.peak, heap);
  }

  async around<T>(state: string, invoke: () => Promise<T>): Promise<T> {
    let entry = this.#running.get(state);
    if (!entry) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.memoryUsage().heapUsed;
      entry = { start, peak: start, concurrent: 0 };
      this.#running.set(state, entry);
    }
    entry.concurrent++;
    const maxConcurrent = Math.max(entry.concurrent, 1);
    try {
      return await invoke();
    } finally {
      this.#sample();
      entry.concurrent--;
      const grown = (entry.peak - entry.start) / 1024 / 1024 / maxConcurrent;
      this.peakMb[state] = Math.max(this.peakMb[state] ?? 0, Math.round(this.baselineMb + grown));
      if (entry.concurrent === 0) this.#running.delete(state);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

const payloadBytes = (run: LocalRun) =>
  Math.max(
    0,
    ...run.events.flatMap((event) =>
      'state' in event
        ? [
            JSON.stringify(event.state.input ?? null).length,
            JSON.stringify(event.state.output ?? null).length,
          ]
        : [],
    ),
  );

export async function measureWorkflow(
  world: World,
  baselineMb: number,
  latencyMs = 0,
  /** The quiet second run (its write units); a run measured only for its wall time skips it. */
  secondRun = true,
): Promise<WorkflowResult> {
  const counters: WriteCounter[] = [{ writes: 0, units: 0, largest: 0 }];
  const current = () => counters[counters.length - 1] as WriteCounter;
  const dynamo = await startLocalDynamo('ssm-doctor-bench', {
    observe: (client) => countWrites(client, current),
  });
  const memory = new StageMemory(baselineMb);
  try {
    // Synthesizing the stack is the harness's cost, not the workflow's: not timed.
    const deployment = localDeployment(world, dynamo.tableName);
    const started = performance.now();
    const account = new SimulatedAccount(deployedInto(world, deployment), { latencyMs });
    const options = { deployment, world, dynamo, account, aroundStage: memory.around.bind(memory) };
    const first = await runLocally(options);
    const wallMs = performance.now() - started;
    const calls = account.callCounts();
    const apiCalls = account.totalCalls();
    counters.push({ writes: 0, units: 0, largest: 0 });
    const second = secondRun && first.status === 'SUCCEEDED' ? await runLocally(options) : undefined;
    const stageRssMb = memory.peakMb;
    const error =
      first.status === 'SUCCEEDED'
        ? undefined
        : `${first.error?.Error}: ${String(first.error?.Cause).slice(0, 300)}`;
    return {
      completed: first.status === 'SUCCEEDED' && (!secondRun || second?.status === 'SUCCEEDED'),
      ...(error ? { error } : {}),
      apiCalls,
      calls,
      writes: counters[0]?.writes ?? 0,
      writeUnits: counters[0]?.units ?? 0,
      writeUnitsSecondRun: counters[1]?.units ?? 0,
      largestItemBytes: Math.max(...counters.map((c) => c.largest)),
      maxPayloadBytes: Math.max(payloadBytes(first), second ? payloadBytes(second) : 0),
      stageRssMb,
      maxStageRssMb: Math.max(0, ...Object.values(stageRssMb)),
      wallMs,
    };
  } finally {
    memory.stop();
    await dynamo.close();
  }
}
