/**
 * One benchmark run of the deployed path: the synthesized state machine run locally (each state
 * under its synthesized role, DynamoDB on dynalite), twice on the same world — the second run
 * changes nothing, so its writes are what a quiet hour costs. Measured: AWS calls by operation,
 * DynamoDB writes and write units (item sizes as DynamoDB counts them), the largest item, each
 * stage's peak memory as its own Lambda function of a given size would report it (every stage runs
 * in processes of its own with that function's heap limits: isolated-stages.ts says exactly what
 * is and is not counted), the largest state payload, and wall time.
 */
import { SimulatedAccount, type World } from '../../../lambdas/sim/index.ts';
import { localDeployment } from '../local/definition.ts';
import { startLocalDynamo } from '../local/dynamo-local.ts';
import { deployedInto, type LocalRun, runLocally } from '../local/run-locally.ts';
import { IsolatedStages } from './isolated-stages.ts';

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
  /** The memory size every stage ran as if configured with (MB): its heap limits are Lambda's for it. */
  stageMemoryMb: number;
  /** Per state: the peak RSS of its processes (MB), what Lambda reports as "Max Memory Used". */
  stageRssMb: Record<string, number>;
  /** Per state: a process's RSS with the handler loaded, before its first invocation (MB). */
  stageIdleRssMb: Record<string, number>;
  /** Per state: the most CPU one invocation used (seconds, its own process). */
  stageCpuSeconds: Record<string, number>;
  /** Per state: why a process of it died (out of memory under the heap limit, …), if one did. */
  stageFailures: Record<string, string>;
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

/** Counts the write units of one command: 1 unit per started KB of each item it writes. */
function countWrites(
  counter: WriteCounter,
  commandName: string | undefined,
  input: Record<string, unknown>,
): void {
  const items: Record<string, unknown>[] = [];
  if (commandName === 'PutItemCommand') items.push(input.Item as Record<string, unknown>);
  if (commandName === 'DeleteItemCommand' || commandName === 'UpdateItemCommand')
    items.push(input.Key as Record<string, unknown>);
  if (commandName === 'BatchWriteItemCommand') {
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
    counter.writes++;
    counter.units += Math.max(1, Math.ceil(bytes / 1024));
    counter.largest = Math.max(counter.largest, bytes);
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

/**
 * Runs the workflow twice on `world`, every stage in processes of its own as if its function had
 * `stageMemoryMb` (isolated-stages.ts), and measures it.
 */
export async function measureWorkflow(
  world: World,
  stageMemoryMb: number,
  latencyMs = 0,
  /** The quiet second run (its write units); a run measured only for its wall time skips it. */
  secondRun = true,
): Promise<WorkflowResult> {
  const counters: WriteCounter[] = [{ writes: 0, units: 0, largest: 0 }];
  const current = () => counters[counters.length - 1] as WriteCounter;
  const dynamo = await startLocalDynamo('ssm-doctor-bench');
  let stages: IsolatedStages | undefined;
  try {
    // Synthesizing the stack is the harness's cost, not the workflow's: not timed.
    const deployment = localDeployment(world, dynamo.tableName);
    const started = performance.now();
    const account = new SimulatedAccount(deployedInto(world, deployment), { latencyMs });
    stages = await IsolatedStages.create(account, deployment, dynamo.endpoint, {
      memoryMb: stageMemoryMb,
      onTableCall: (commandName, input) => countWrites(current(), commandName, input),
    });
    const options = { deployment, world, dynamo, account, stageOverrides: stages.handlers() };
    const first = await runLocally(options);
    const wallMs = performance.now() - started;
    const calls = account.callCounts();
    const apiCalls = account.totalCalls();
    counters.push({ writes: 0, units: 0, largest: 0 });
    const second = secondRun && first.status === 'SUCCEEDED' ? await runLocally(options) : undefined;
    const stageRssMb = stages.peakRssMb;
    const failures = Object.entries(stages.failures).map(([state, why]) => `${state}: ${why}`);
    const error =
      first.status === 'SUCCEEDED'
        ? undefined
        : `${first.error?.Error}: ${String(first.error?.Cause).slice(0, 300)}${failures.length ? ` (${failures.join('; ')})` : ''}`;
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
      stageMemoryMb,
      stageRssMb,
      stageIdleRssMb: stages.idleRssMb,
      stageCpuSeconds: stages.cpuSeconds,
      stageFailures: stages.failures,
      maxStageRssMb: Math.max(0, ...Object.values(stageRssMb)),
      wallMs,
    };
  } finally {
    await stages?.close();
    await dynamo.close();
  }
}
