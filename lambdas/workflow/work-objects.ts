/**
 * What a run hands from stage to stage that grows with the fleet, kept as gzipped JSON objects in
 * the report bucket under `work/<run id>/` (expiring after a few days, `lib/constructs/
 * report-bucket.ts`), not in the table:
 *
 *   batch-<nnnnn>     one batch: its candidate references and the slice of the run's shared facts
 *                     it uses (written by `Start run`, which collects them once per run)
 *   findings-<nnnnn>  that batch's findings with their plan subjects (`Diagnose batch`)
 *   remediations      the fixes planned and their outcomes, by instance (`Plan and apply fixes`)
 *   verification      which fixed instances came back, and the findings they changed (`Verify`)
 *
 * Why S3: a finding is ~10 KB of JSON (its evidence), 2–3 KB gzipped, so in the table it costs
 * 3 write units per candidate per run, changed or not, and a batch's network picture can pass the
 * 400 KB item limit. An object costs one request whatever its size, and a page (one batch) is
 * bounded, so the stages stream through a run a batch at a time.
 *
 * Dates survive the round trip as dates (`{"$date": ISO}`): the facts carry the SDK's `Date`s.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export const WORK_PREFIX = 'work/';

const page = (index: number) => String(index).padStart(5, '0');
export const batchObject = (index: number) => `batch-${page(index)}`;
export const findingsObject = (index: number) => `findings-${page(index)}`;
export const REMEDIATIONS_OBJECT = 'remediations';
export const VERIFICATION_OBJECT = 'verification';

export function workKey(runId: string, name: string): string {
  return `${WORK_PREFIX}${encodeURIComponent(runId)}/${name}.json.gz`;
}

export class WorkObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly runId: string,
  ) {}

  async put(name: string, value: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: workKey(this.runId, name),
        Body: encode(value),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
      }),
    );
  }

  async get<T>(name: string): Promise<T> {
    const answer = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: workKey(this.runId, name) }),
    );
    if (!answer.Body) throw new Error(`Run ${this.runId}: ${name} has no body.`);
    return decode(await answer.Body.transformToByteArray()) as T;
  }
}

export function encode(value: unknown): Uint8Array {
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key, replaced) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: replaced };
    if (raw instanceof Map) return { $map: [...raw.entries()] };
    return replaced;
  });
  return gzipSync(json);
}

/** Strings longer than this are rarely repeated (commands, messages): not worth a lookup. */
const INTERNED_UP_TO = 256;

export function decode(bytes: Uint8Array): unknown {
  // JSON.parse makes a string per value: the same check id, sentence or resource id a hundred
  // findings repeat would be held a hundred times (a third of a page's heap). One copy each.
  const strings = new Map<string, string>();
  return JSON.parse(gunzipSync(bytes).toString('utf8'), (_key, value) => {
    if (typeof value === 'string' && value.length <= INTERNED_UP_TO) {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && typeof value.$date === 'string') return new Date(value.$date);
      if (keys.length === 1 && Array.isArray(value.$map)) return new Map(value.$map);
    }
    return value;
  });
}
