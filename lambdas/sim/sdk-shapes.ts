/**
 * Turns a handler's answer (world JSON: timestamps as ISO strings, plus any extra keys the world
 * carries) into exactly what the SDK's deserializer would hand back: walked through the
 * operation's own output schema, timestamps become `Date`s, blobs `Uint8Array`s, and keys that
 * are not members of the output shape (our world extensions such as `EnableDnsSupport` on a VPC or
 * `AttachedPolicies` on a role) are dropped, as the real deserializer drops unknown XML/JSON.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { SDK_SERVICES, type ServicePrefix } from './sdk-services.ts';

type Projector = (value: unknown) => unknown;

const identity: Projector = (value) => value;
const structures = new Map<string, Projector>();
const outputs = new Map<string, Projector>();

/** The projector for an operation's output, or `undefined` when the SDK has no such operation. */
export function outputProjector(service: ServicePrefix, operation: string): Projector | undefined {
  const key = `${service}:${operation}`;
  const cached = outputs.get(key);
  if (cached) return cached;
  const schema = SDK_SERVICES[service].exports[`${operation}$`];
  // Static operation schema: [9, namespace, name, traits, input, output].
  if (!Array.isArray(schema) || schema[0] !== 9) return undefined;
  const projector = projectorFor(NormalizedSchema.of(schema[5]));
  outputs.set(key, projector);
  return projector;
}

function projectorFor(schema: NormalizedSchema): Projector {
  if (schema.isTimestampSchema()) return toDate;
  if (schema.isBlobSchema()) return toBytes;
  if (schema.isNumericSchema()) return (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
  if (schema.isBooleanSchema()) return (v) => (v === 'true' ? true : v === 'false' ? false : v);
  if (schema.isListSchema()) {
    const item = lazy(() => projectorFor(schema.getValueSchema()));
    return (v) => (Array.isArray(v) ? v.map((x) => item()(x)) : undefined);
  }
  if (schema.isMapSchema()) {
    const value = lazy(() => projectorFor(schema.getValueSchema()));
    return (v) =>
      isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value()(x)])) : undefined;
  }
  if (schema.isStructSchema()) return structureProjector(schema);
  return identity;
}

function structureProjector(schema: NormalizedSchema): Projector {
  const name = schema.getName(true) ?? '';
  const cached = structures.get(name);
  if (cached) return cached;
  let members: [string, Projector][] | undefined;
  const projector: Projector = (v) => {
    if (!isRecord(v)) return undefined;
    // Members are resolved on first use: shapes may be recursive.
    members ??= [...schema.structIterator()].map(([member, memberSchema]) => [
      member,
      projectorFor(memberSchema),
    ]);
    const out: Record<string, unknown> = {};
    for (const [member, project] of members) {
      if (v[member] === undefined || v[member] === null) continue;
      const projected = project(v[member]);
      if (projected !== undefined) out[member] = projected;
    }
    return out;
  };
  if (name) structures.set(name, projector);
  return projector;
}

function toDate(value: unknown): unknown {
  if (value instanceof Date) return value;
  // ISO 8601 strings as the CLI prints them; numbers as epoch seconds (the CLI's other format).
  if (typeof value === 'string') return new Date(value);
  if (typeof value === 'number') return new Date(value * 1000);
  return undefined;
}

function toBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  // A streaming body (S3 GetObject) is handed over as the stream the SDK would give.
  if (typeof (value as { transformToByteArray?: unknown } | null)?.transformToByteArray === 'function')
    return value;
  return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
