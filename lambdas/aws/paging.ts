/**
 * Reading many resources in few calls: ids go into filter values in chunks, every page is read,
 * and the result is split back per VPC, so a fleet of 10,000 instances in 50 VPCs costs a handful
 * of calls per resource type, not one per instance.
 */
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, type ExpectedError } from './errors.ts';

/** EC2 accepts up to 200 values in one filter; 100 keeps requests small and well inside it. */
export const FILTER_CHUNK = 100;

export function chunk<T>(items: readonly T[], size = FILTER_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Drains an SDK paginator into one array. */
export async function drain<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

/**
 * Reads items for many keys, chunk by chunk, and files each item under the keys it belongs to.
 * A chunk that fails gives every key in it the same problem; other chunks are unaffected.
 */
export async function readByKey<T>(
  keys: readonly string[],
  operation: string,
  read: (keys: string[]) => Promise<T[]>,
  keysOf: (item: T) => (string | undefined)[],
  expected: readonly ExpectedError[],
): Promise<Map<string, Readout<T[]>>> {
  const result = new Map<string, Readout<T[]>>();
  await Promise.all(
    chunk([...new Set(keys)]).map(async (part) => {
      const readout = await attempt(operation, () => read(part), expected);
      for (const key of part) result.set(key, readout.ok ? readOk([]) : readFailed(readout.problem));
      if (readout.ok) fileUnderKeys(result, readout.value, keysOf);
    }),
  );
  return result;
}

/**
 * Reads items by their own ids (chunked), then files each under the keys it belongs to (e.g.
 * security groups by VPC). Any failing chunk gives every key the problem: which key lost what
 * cannot be known.
 */
export async function readIdsIntoKeys<T>(
  ids: readonly string[],
  keys: readonly string[],
  operation: string,
  read: (ids: string[]) => Promise<T[]>,
  keysOf: (item: T) => (string | undefined)[],
  expected: readonly ExpectedError[],
): Promise<Map<string, Readout<T[]>>> {
  const parts = await Promise.all(
    chunk([...new Set(ids)]).map((part) => attempt(operation, () => read(part), expected)),
  );
  const failed = parts.find((part) => !part.ok);
  const result = new Map<string, Readout<T[]>>();
  for (const key of keys) result.set(key, failed && !failed.ok ? readFailed(failed.problem) : readOk([]));
  if (failed) return result;
  for (const part of parts) if (part.ok) fileUnderKeys(result, part.value, keysOf);
  return result;
}

/** Adds each item to the readout of every key it belongs to that was read. */
function fileUnderKeys<T>(
  result: Map<string, Readout<T[]>>,
  items: readonly T[],
  keysOf: (item: T) => (string | undefined)[],
): void {
  for (const item of items) {
    for (const key of keysOf(item)) {
      const slot = key === undefined ? undefined : result.get(key);
      if (slot?.ok) slot.value.push(item);
    }
  }
}

export const missingKey = (operation: string, key: string) =>
  readFailed<never>({ operation, code: 'NotRead', message: `${key} was not read` });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket: `burst` calls may start at once, then one every 1/`perSecond` s — each call
 * awaits its slot (GCRA: the theoretical arrival time moves by one gap per call).
 */
export function rateLimiter(perSecond: number, burst = 1): () => Promise<void> {
  const gap = 1000 / perSecond;
  let arrival = 0;
  return () => {
    const now = Date.now();
    arrival = Math.max(arrival, now);
    const wait = arrival - now - (burst - 1) * gap;
    arrival += gap;
    return wait > 0 ? sleep(wait) : Promise.resolve();
  };
}

/** `fn` over every item with at most `concurrency` in flight; results in the items' order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let cursor = 0;
  const worker = async () => {
    while (cursor < items.length) {
      const index = cursor++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        cursor = items.length; // the whole map fails: start nothing more
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
