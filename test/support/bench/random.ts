/**
 * Seeded randomness and id minting for generated worlds: the same seed always yields the same
 * world, byte for byte, so benchmark figures and test expectations are comparable between runs.
 */

/** mulberry32: small, fast, and good enough to spread instances over types and zones. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 32-bit FNV-1a, to turn a seed and a name into id material without a crypto hash per object. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const hex8 = (value: number) => (value >>> 0).toString(16).padStart(8, '0');

/** Mints EC2-style ids (`i-0` + 16 hex digits), unique per prefix and counter, stable per seed. */
export class IdMint {
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed: number) {}

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    const high = fnv1a(`${this.seed}:${prefix}`) & 0x0fffffff;
    return `${prefix}-0${hex8(high)}${hex8(n)}`;
  }
}

export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
