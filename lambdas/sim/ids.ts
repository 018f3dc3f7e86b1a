/**
 * Identifiers the simulator has to invent (request ids, IAM unique ids, association ids, fake
 * ciphertext). Everything that ends up in a world snapshot is derived from a hash of what it
 * names, so the same world always yields the same ids and a saved world round-trips unchanged.
 */
import { createHash, randomUUID } from 'node:crypto';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** `length` lowercase hex characters derived from `seed` (EC2-style resource ids). */
export function hexId(seed: string, length = 17): string {
  return digest(seed).toString('hex').slice(0, length);
}

const IAM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM unique ids: a 4-letter type prefix (AROA role, AIPA profile, ANPA policy) + 17 characters. */
export function iamUniqueId(prefix: 'AROA' | 'AIPA' | 'ANPA' | 'AIDA', seed: string): string {
  const bytes = digest(seed);
  let id = prefix;
  for (let i = 0; i < 17; i++) id += IAM_ALPHABET[bytes[i] % IAM_ALPHABET.length];
  return id;
}

/** Request ids are per call, like AWS's: random, never stored in a world. */
export const newRequestId = (): string => randomUUID();

/** The partition of a region: `aws`, `aws-cn` or `aws-us-gov` (enough for the ARNs we build). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
