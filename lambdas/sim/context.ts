/**
 * What a service handler gets for one call: the (mutable) world, the account's identity and
 * clock, and the ways a write is made visible (change log, SNS outbox, onlineAfterFix). Handlers
 * answer in world JSON (ISO timestamps); the account turns that into the SDK's output shape.
 */
import type { PutEvent } from './events.ts';
import type { StoredObject } from './s3.ts';
import type { SimExecution } from './sfn.ts';
import type { World } from './world-schema.ts';

export interface ChangeRecord {
  /** ISO 8601 time of the write (the simulated clock). */
  at: string;
  /** IAM-style action, e.g. `ec2:AssociateIamInstanceProfile`. */
  action: string;
  /** What was written: an instance id, role name, parameter name… */
  target: string;
  before: unknown;
  after: unknown;
  requestId: string;
}

export interface PublishedMessage {
  TopicArn: string;
  Subject?: string;
  Message: string;
}

export interface SimContext {
  readonly world: World;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The call being answered, e.g. `ec2:DescribeInstances`. */
  readonly action: string;
  readonly requestId: string;
  now(): Date;
  /** Logs a write of this call (before/after are deep-copied). */
  recordChange(target: string, before: unknown, after: unknown): void;
  publish(message: PublishedMessage): void;
  /** An S3 object written (kept in the account's `objects`). */
  store(object: StoredObject): void;
  /** The object under that bucket and key, if one was stored. */
  stored(bucket: string, key: string): StoredObject | undefined;
  /** An EventBridge event accepted (kept in the account's `events`). */
  emit(event: PutEvent): void;
  /** Step Functions executions registered with the account (sfn.ts), by execution ARN. */
  readonly executions: ReadonlyMap<string, SimExecution>;
  /** A fix touched these instances: those listed in `simulation.onlineAfterFix` come online. */
  fixApplied(instanceIds: readonly string[]): void;
}

/**
 * A service operation. `input` is the SDK command's input (each handler declares its type);
 * the result is the output in world JSON.
 */
export type Handler = (input: never, ctx: SimContext) => object;
export type Handlers = Readonly<Record<string, Handler>>;

/** Deep copy for change records and snapshots (worlds are plain JSON). */
export const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));
