/**
 * Stage memory, measured as a Lambda function would report it. Every Task state runs in Node
 * processes of its own (stage-process.ts): its handler bundled as the deployed function's is, one
 * process per invocation running at once, kept warm between invocations (as Lambda keeps one
 * execution environment per concurrent invocation), each started with the heap limits Lambda's
 * Node.js runtime derives from the function's memory size (`lambdaHeapFlags`). The processes reach
 * the simulated account and dynalite through this process, which authorizes each call under the
 * state's role exactly as `runLocally` does in process.
 *
 * A stage's figure is the highest peak RSS (the kernel's high-water mark of resident memory,
 * `getrusage` maxRSS) of its processes: what Lambda's "Max Memory Used" reports. So it counts:
 * - the runtime, the bundle and its SDK clients (`idleRssMb`: a process before its first call);
 * - everything the stage holds, on the V8 heap and off it (Buffers, zlib, strings' backing);
 * - the garbage its heap keeps before collecting it, under the same limits a function of that
 *   size has (not the multi-GB heap of a benchmark process, which collects far later);
 * - each AWS answer as it arrives (the IPC message, about the size of a wire response) and as the
 *   SDK hands it back.
 * It does not count what is not in a Lambda's process: the world, the simulated account's work to
 * answer a call, and what it keeps on the stage's behalf (S3 objects, SNS messages, events), nor
 * dynalite's items and request handling — in AWS all of that is the service's. Not modelled: the
 * SDK's parsing of a wire response (the simulator hands over parsed outputs), and Lambda's own
 * runtime client.
 *
 * A stage that needs more than its function has fails as in Lambda, and with it the run
 * (`failures` says why): a heap that outgrows the limits dies as V8 runs out of it, and a process
 * whose peak RSS passes the memory size (Buffers are outside the heap limit) fails its invocation
 * with Lambda's `Runtime.OutOfMemory` — told here only when the invocation returns, after what it
 * did (Lambda would have stopped it there).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SIMULATED_CREDENTIALS, type SimulatedAccount } from '../../../lambdas/sim/index.ts';
import { decodeAwsChunked, isAwsChunked } from '../../../lambdas/sim/request-body.ts';
import type { LocalDeployment } from '../local/deployment.ts';
import { callerOf, type Json } from '../local/run-locally.ts';
import {
  type AccountMessage,
  fromWireError,
  isStreamedBodyMark,
  type StageMessage,
  type StageProcessConfig,
  toWireError,
  toWireOutput,
} from './stage-wire.ts';

/**
 * The flags Lambda's Node.js bootstrap starts the runtime with for a function of `memoryMb`:
 * 90% of it for the old generation, 5% for each semi-space of the young one.
 */
export const lambdaHeapFlags = (memoryMb: number): string[] => [
  `--max-old-space-size=${Math.floor((memoryMb * 90) / 100)}`,
  `--max-semi-space-size=${Math.floor((memoryMb * 5) / 100)}`,
];

export interface IsolationOptions {
  /** The memory size each stage runs as if configured with (MB). */
  memoryMb: number;
  /** Every DynamoDB command a stage sends (the benchmark counts write units here). */
  onTableCall?: (commandName: string | undefined, input: Record<string, unknown>) => void;
}

const STAGE_PROCESS = fileURLToPath(new URL('./stage-process.ts', import.meta.url));
const HANDLERS = fileURLToPath(new URL('../../../lambdas/handlers/', import.meta.url));

/**
 * One bundle per stage, its handler and the stage-process loop, built as the deployed function's
 * (lib/constructs/doctor-function.ts: one minified ESM bundle with the SDK inside, module entry
 * points first), for the Node that runs the benchmark. Written to a temporary folder.
 */
async function bundleStages(stages: readonly string[]): Promise<{ files: Map<string, string>; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-doctor-stages-'));
  const entries = stages.map((stage) => {
    const entry = join(dir, `${stage}.entry.ts`);
    writeFileSync(
      entry,
      `import { handler } from ${JSON.stringify(`${HANDLERS}${stage}.ts`)};\nimport { runStageProcess } from ${JSON.stringify(STAGE_PROCESS)};\nrunStageProcess(handler);\n`,
    );
    return { in: entry, out: stage };
  });
  await build({
    entryPoints: entries,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return { files: new Map(stages.map((stage) => [stage, join(dir, `${stage}.mjs`)])), dir };
}

/** One warm execution environment of a state. */
class StageProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  #invocations = 0;
  #current:
    | { invocation: number; resolve: (m: StageMessage) => void; reject: (e: Error) => void }
    | undefined;
  #stderr = '';

  constructor(
    bundle: string,
    config: StageProcessConfig,
    memoryMb: number,
    serve: (message: StageMessage) => Promise<AccountMessage | undefined>,
    onExit: (why: string) => void,
  ) {
    this.child = fork(bundle, [JSON.stringify(config)], {
      execArgv: lambdaHeapFlags(memoryMb),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    let started: (rssMb: number) => void = () => undefined;
    let failedToStart: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      started = resolve;
      failedToStart = reject;
    });
    this.child.on('message', (message: StageMessage) => {
      if (message.type === 'ready') return started(message.rssMb);
      if (message.type === 'result') return this.#current?.resolve(message);
      void serve(message).then((reply) => reply && this.child.connected && this.child.send(reply));
    });
    this.child.on('exit', (code, signal) => {
      const outOfMemory = /heap out of memory|Reached heap limit/i.test(this.#stderr);
      const why = outOfMemory
        ? `out of memory (heap limit of a ${memoryMb} MB function)`
        : `exited (${code ?? signal}): ${this.#stderr.trim().split('\n').slice(-3).join(' | ')}`;
      onExit(why);
      const error = Object.assign(new Error(`${config.state}: the stage process ${why}`), {
        name: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      });
      failedToStart(error);
      this.#current?.reject(error);
    });
  }

  async invoke(input: unknown, now: string): Promise<StageMessage & { type: 'result' }> {
    await this.ready;
    const invocation = ++this.#invocations;
    const result = new Promise<StageMessage>((resolve, reject) => {
      this.#current = { invocation, resolve, reject };
    });
    this.child.send({ type: 'invoke', invocation, input, now } satisfies AccountMessage);
    try {
      return (await result) as StageMessage & { type: 'result' };
    } finally {
      this.#current = undefined;
    }
  }
}

export class IsolatedStages {
  /** Per state: the highest peak RSS of any of its processes (MB). */
  readonly peakRssMb: Record<string, number> = {};
  /** Per state: a fresh process's RSS with its handler loaded, before any invocation (MB). */
  readonly idleRssMb: Record<string, number> = {};
  /**
   * Per state: the most CPU one invocation used (user + system seconds, its own process only):
   * with Lambda's CPU share (a full vCPU at 1,769 MB), what a memory size means for its duration.
   */
  readonly cpuSeconds: Record<string, number> = {};
  /** Per state: why one of its processes died, if one did. */
  readonly failures: Record<string, string> = {};
  readonly #idle = new Map<string, StageProcess[]>();
  readonly #all = new Set<StageProcess>();

  private constructor(
    private readonly account: SimulatedAccount,
    private readonly deployment: LocalDeployment,
    private readonly dynamoEndpoint: string,
    private readonly options: IsolationOptions,
    private readonly bundles: { files: Map<string, string>; dir: string },
  ) {}

  /** The deployment's stages, bundled and ready to start. */
  static async create(
    account: SimulatedAccount,
    deployment: LocalDeployment,
    dynamoEndpoint: string,
    options: IsolationOptions,
  ): Promise<IsolatedStages> {
    const stages = [...new Set(Object.values(deployment.stages).map((s) => s.stage))];
    const bundles = await bundleStages(stages);
    return new IsolatedStages(account, deployment, dynamoEndpoint, options, bundles);
  }

  /** Every Task state of the deployment, run in its processes: `runLocally`'s `stageOverrides`. */
  handlers(): Record<string, (input: Json) => Promise<Json>> {
    return Object.fromEntries(
      Object.keys(this.deployment.stages).map((state) => [
        state,
        (input: Json) => this.invoke(state, input) as Promise<Json>,
      ]),
    );
  }

  async invoke(state: string, input: unknown): Promise<unknown> {
    const proc = this.#idle.get(state)?.pop() ?? this.#start(state);
    const result = await proc.invoke(input, this.account.now().toISOString());
    this.peakRssMb[state] = Math.max(this.peakRssMb[state] ?? 0, Math.round(result.peakRssMb));
    this.cpuSeconds[state] = Math.max(this.cpuSeconds[state] ?? 0, Math.round(result.cpuMs / 100) / 10);
    if (result.peakRssMb > this.options.memoryMb) {
      // Lambda stops an environment that passes its memory size, and starts another for the next.
      const why = `used ${Math.round(result.peakRssMb)} MB, more than a ${this.options.memoryMb} MB function has`;
      this.failures[state] = why;
      proc.child.disconnect();
      throw Object.assign(new Error(`${state}: ${why}`), { name: 'Runtime.OutOfMemory' });
    }
    this.#idle.set(state, [...(this.#idle.get(state) ?? []), proc]);
    if (!result.ok) throw fromWireError(result.error);
    return result.output;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.#all].map(
        (proc) =>
          new Promise<void>((resolve) => {
            if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
            proc.child.once('exit', () => resolve());
            proc.child.disconnect();
          }),
      ),
    );
    rmSync(this.bundles.dir, { recursive: true, force: true });
  }

  #start(state: string): StageProcess {
    const deployed = this.deployment.stages[state];
    if (!deployed) throw new Error(`No deployed stage for state ${state}`);
    const caller = callerOf(this.account, state, deployed);
    const config: StageProcessConfig = {
      state,
      stage: deployed.stage,
      env: { ...deployed.env, AWS_REGION: this.account.region },
      credentials: SIMULATED_CREDENTIALS,
      dynamoEndpoint: this.dynamoEndpoint,
    };
    const bodies = new Map<number, Buffer[]>();
    const serve = async (message: StageMessage): Promise<AccountMessage | undefined> => {
      if (message.type === 'chunk') {
        const chunks = bodies.get(message.id) ?? [];
        chunks.push(Buffer.from(message.bytes));
        bodies.set(message.id, chunks);
        return undefined;
      }
      if (message.type !== 'call' && message.type !== 'table') return undefined;
      try {
        if (message.type === 'table') {
          this.account.authorizeTable(caller, message.commandName, message.input);
          this.options.onTableCall?.(message.commandName, message.input);
          return { type: 'reply', id: message.id, ok: true, value: undefined };
        }
        const input = message.input as { Body?: unknown };
        if (isStreamedBodyMark(input.Body)) {
          const wire = new Uint8Array(Buffer.concat(bodies.get(message.id) ?? []));
          input.Body = isAwsChunked(input.Body.contentEncoding) ? decodeAwsChunked(wire) : wire;
          bodies.delete(message.id);
        }
        const output = await this.account.serve(caller, message.clientName, message.commandName, input);
        return { type: 'reply', id: message.id, ok: true, value: await toWireOutput(output) };
      } catch (error) {
        return { type: 'reply', id: message.id, ok: false, error: toWireError(error) };
      }
    };
    const bundle = this.bundles.files.get(deployed.stage) ?? '';
    const proc: StageProcess = new StageProcess(bundle, config, this.options.memoryMb, serve, (why) => {
      this.#all.delete(proc);
      const idle = this.#idle.get(state) ?? [];
      this.#idle.set(
        state,
        idle.filter((p) => p !== proc),
      );
      // A process told to go (close) exits quietly; any other exit is the state's failure.
      if (!/exited \(0\)/.test(why)) this.failures[state] = why;
    });
    this.#all.add(proc);
    void proc.ready.then(
      (rssMb) => {
        this.idleRssMb[state] = Math.max(this.idleRssMb[state] ?? 0, Math.round(rssMb));
      },
      () => undefined,
    );
    return proc;
  }
}
