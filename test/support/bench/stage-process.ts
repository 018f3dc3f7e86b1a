/**
 * One workflow stage in a Node process of its own, as its Lambda function would run it: bundled
 * with its handler as the function is (isolated-stages.ts builds the bundle and starts it with the
 * heap limits Lambda's Node runtime sets for the function's memory), holding the stage's handler
 * and its SDK clients, nothing else. Every AWS call goes to the simulated account in the
 * benchmark's process and every DynamoDB call to dynalite there (after the account has authorized
 * it), so what the account and the table keep on the stage's behalf — and the work of answering —
 * is not in this process, as it is not in the Lambda's.
 */
import './loopback-only.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import type { StageHandler } from '../../../lambdas/handlers/wiring.ts';
import { isStreamedBody } from '../../../lambdas/sim/request-body.ts';
import { localDynamoConfig } from '../local/dynamo-config.ts';
import {
  type AccountMessage,
  fromWireError,
  fromWireOutput,
  type StageMessage,
  type StageProcessConfig,
  type StreamedBodyMark,
  toWireError,
} from './stage-wire.ts';

type Request =
  | { type: 'call'; clientName?: string; commandName?: string; input: object }
  | { type: 'table'; commandName?: string; input: Record<string, unknown> };
/** A request to the account; a streamed body goes first, chunk by chunk. */
type Ask = (request: Request, body?: AsyncIterable<string | Uint8Array>) => Promise<unknown>;

// biome-ignore lint/suspicious/noExplicitAny: every client's stack has its own Input/Output unions.
type AnyClient = { middlewareStack: MiddlewareStack<any, any> };

/** The simulated account as the stage's clients see it: each command answered over IPC. */
function remoteAccount(ask: Ask, config: StageProcessConfig) {
  return {
    clientConfig: () => ({ region: config.env.AWS_REGION ?? '', credentials: { ...config.credentials } }),
    attach<C extends AnyClient>(client: C): C {
      // biome-ignore lint/suspicious/noExplicitAny: see AnyClient.
      const middleware: FinalizeRequestMiddleware<any, any> = (_next, context) => async (args) => {
        const { clientName, commandName } = context;
        // A streamed body goes as the SDK would send it: its request body stream, read to the end.
        const wire = (args.request ?? {}) as { body?: unknown; headers?: Record<string, string> };
        const body = isStreamedBody(wire.body) ? wire.body : undefined;
        const mark: StreamedBodyMark = {
          $streamedBody: true,
          contentEncoding: wire.headers?.['content-encoding'],
        };
        const input = body ? { ...(args.input as object), Body: mark } : (args.input as object);
        const output = await ask({ type: 'call', clientName, commandName, input }, body);
        return { output: fromWireOutput(output as object), response: {} };
      };
      client.middlewareStack.add(middleware, {
        step: 'finalizeRequest',
        priority: 'low',
        name: 'ssmDoctorSimulatedAccount',
        override: true,
      });
      return client;
    },
  };
}

/** The table's client: each call authorized by the account first, then sent to dynalite. */
function guardedTable(ask: Ask, endpoint: string): DynamoDBClient {
  const dynamo = new DynamoDBClient(localDynamoConfig(endpoint));
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      await ask({ type: 'table', commandName: context.commandName, input });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'ssmDoctorSimulatedAccountGuard' },
  );
  return dynamo;
}

/** Serves invocations of `handler` from the benchmark over IPC until it disconnects. */
export function runStageProcess(handler: StageHandler<never, unknown>): void {
  const config = JSON.parse(process.argv[2] ?? '{}') as StageProcessConfig;
  const send = (message: StageMessage) => process.send?.(message);
  const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  // Resolves once the message is written to the channel: a streamed body is never queued whole.
  const sent = (message: StageMessage) =>
    new Promise<void>((resolve, reject) => {
      process.send?.(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
    });
  const ask: Ask = async (request, body) => {
    const id = ++lastId;
    if (body)
      for await (const chunk of body)
        await sent({ type: 'chunk', id, bytes: typeof chunk === 'string' ? Buffer.from(chunk) : chunk });
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send({ ...request, id });
    });
  };
  let now = new Date();
  const invoke = handler.withRuntime({
    env: config.env,
    clients: { simulated: remoteAccount(ask, config), retry: 'immediate' },
    dynamo: guardedTable(ask, config.dynamoEndpoint),
    clock: () => new Date(now),
    log: () => undefined,
    metrics: () => undefined,
  });
  process.on('message', async (message: AccountMessage) => {
    if (message.type === 'reply') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(fromWireError(message.error));
      return;
    }
    now = new Date(message.now);
    const { invocation } = message;
    const cpu = process.cpuUsage();
    const cost = () => {
      const used = process.cpuUsage(cpu);
      return { peakRssMb: peakRssMb(), cpuMs: (used.user + used.system) / 1000 };
    };
    try {
      const output = await invoke(message.input as never);
      send({ type: 'result', invocation, ok: true, output, ...cost() });
    } catch (error) {
      send({ type: 'result', invocation, ok: false, error: toWireError(error), ...cost() });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', rssMb: process.memoryUsage().rss / 1024 / 1024 });
}
