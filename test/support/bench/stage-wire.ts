/**
 * What a stage process (stage-process.ts) and the benchmark (isolated-stages.ts) say to each other
 * over Node's IPC channel (`serialization: 'advanced'`: Dates, Maps and byte arrays survive as
 * such). The stage asks the account for each AWS call and each table authorization; the account's
 * side answers. What the structured clone cannot carry is carried here: a streamed request body
 * (S3 PutObject) as `chunk` messages of the request's own body stream, sent one after the other
 * before its call, as a socket would carry it (so the stage never holds it whole); a response body
 * stream (S3 GetObject) as its
 * bytes; and errors with the properties the SDK's retry and our error matching read (`name`,
 * `Code`, `$fault`, `$metadata`, …), since a clone keeps only `message`.
 *
 * Kept free of the simulator's modules: a stage process loads what its Lambda bundle would, and
 * this.
 */
import { Readable } from 'node:stream';
import { sdkStreamMixin } from '@smithy/core/serde';

/** Sent from the stage process. */
export type StageMessage =
  | { type: 'ready'; rssMb: number }
  | { type: 'call'; id: number; clientName?: string; commandName?: string; input: object }
  /** A piece of the streamed body of call `id`, sent before the call itself. */
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'table'; id: number; commandName?: string; input: Record<string, unknown> }
  | ({ type: 'result'; invocation: number; ok: true; output: unknown } & InvocationCost)
  | ({ type: 'result'; invocation: number; ok: false; error: WireError } & InvocationCost);

/** What an invocation cost its process: the peak RSS so far (MB), and its own CPU time (user + system, ms). */
export interface InvocationCost {
  peakRssMb: number;
  cpuMs: number;
}

/** Sent to the stage process. */
export type AccountMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'invoke'; invocation: number; input: unknown; now: string };

/** Where a stage process runs and as what: handed to it as its only argument. */
export interface StageProcessConfig {
  state: string;
  stage: string;
  env: Record<string, string>;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dynamoEndpoint: string;
}

export interface WireError {
  name: string;
  message: string;
  /** Own properties of the error (AWS errors: `Code`, `$fault`, `$metadata`, `Error`, …). */
  properties: Record<string, unknown>;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), properties: {} };
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'stack' || typeof value === 'function') continue;
    properties[key] = value;
  }
  return { name: error.name, message: error.message, properties };
}

export function fromWireError(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), wire.properties);
  // `name` is an own property of SDK errors, an inherited one of plain errors: set it either way.
  Object.defineProperty(error, 'name', { value: wire.name, enumerable: 'name' in wire.properties });
  return error;
}

/**
 * Where a call's input had its streamed body: the chunks sent before it are the request body as
 * the SDK framed it for the wire (`content-encoding` says how: lambdas/sim/request-body.ts).
 */
export interface StreamedBodyMark {
  $streamedBody: true;
  contentEncoding?: string;
}
export const isStreamedBodyMark = (body: unknown): body is StreamedBodyMark =>
  (body as StreamedBodyMark | undefined)?.$streamedBody === true;

interface BodyStream {
  transformToByteArray(): Promise<Uint8Array>;
}
const isBodyStream = (body: unknown): body is BodyStream =>
  typeof (body as BodyStream | undefined)?.transformToByteArray === 'function';

/** An output as it can travel: a body stream read into its bytes. */
export async function toWireOutput(output: object): Promise<object> {
  const body = (output as { Body?: unknown }).Body;
  if (!isBodyStream(body)) return output;
  return { ...output, Body: { $streamBytes: await body.transformToByteArray() } };
}

/** The output as the SDK would hand it back: bytes of a body stream made a stream again. */
export function fromWireOutput(output: object): object {
  const body = (output as { Body?: { $streamBytes?: Uint8Array } }).Body;
  if (!body?.$streamBytes) return output;
  const bytes = body.$streamBytes;
  // A view, not a copy: the stage holds the body once, as it would from the HTTP response.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ...output, Body: sdkStreamMixin(Readable.from([buffer])) };
}
