/**
 * The full report of a run, kept in the stack's report bucket as JSON (`ssm-doctor/report@1`, for
 * tools) and markdown (for people, without the size bound a ticket needs), under
 * `runs/<YYYY-MM-DD>/<runId>/`. The email links to the markdown in the S3 console: the bucket is
 * private, so a link works for people who may read it, and for nobody else.
 */
import { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { markdownBlocks } from '../cli/render/markdown.ts';
import type { Report } from '../engine/report-model.ts';
import { outageOf } from './errors.ts';

export interface StoredReport {
  jsonKey: string;
  markdownKey: string;
  /** S3 console page of the markdown object. */
  consoleUrl: string;
}

const CONSOLE: Record<string, string> = {
  aws: 'https://console.aws.amazon.com',
  'aws-cn': 'https://console.amazonaws.cn',
  'aws-us-gov': 'https://console.amazonaws-us-gov.com',
};

export function reportKeys(report: Report, runId: string): { jsonKey: string; markdownKey: string } {
  const prefix = `runs/${report.generatedAt.slice(0, 10)}/${encodeURIComponent(runId)}`;
  return { jsonKey: `${prefix}/report.json`, markdownKey: `${prefix}/report.md` };
}

export function consoleUrlOf(partition: string, region: string, bucket: string, key: string): string {
  const host = CONSOLE[partition] ?? CONSOLE.aws;
  return `${host}/s3/object/${bucket}?region=${region}&bucketType=general&prefix=${encodeURIComponent(key)}`;
}

/**
 * Keeps the report. `fullFinding` gives a finding's full JSON where the report holds a lighter
 * copy (the workflow's Report keeps evidence compressed per finding, so a 10,000-finding report
 * never sits in memory whole). Both objects are streamed as they are rendered (`putRendered`):
 * the JSON compact, a finding at a time; the markdown a section at a time.
 */
export async function storeReport(
  s3: S3Client,
  bucket: string,
  report: Report,
  runId: string,
  partition: string,
  fullFinding: (finding: Report['findings'][number]) => string = (f) => JSON.stringify(f),
): Promise<StoredReport> {
  const { jsonKey, markdownKey } = reportKeys(report, runId);
  await putRendered(s3, bucket, jsonKey, 'application/json', () => reportJson(report, fullFinding));
  await putRendered(s3, bucket, markdownKey, 'text/markdown; charset=utf-8', () => reportMarkdown(report));
  return { jsonKey, markdownKey, consoleUrl: consoleUrlOf(partition, report.region, bucket, markdownKey) };
}

/** The report as `JSON.stringify` writes it (compact, one line), with each finding in full. */
function* reportJson(report: Report, fullFinding: (finding: Report['findings'][number]) => string) {
  const marker = '"__findings__"';
  const [head, tail] = JSON.stringify({ ...report, findings: '__findings__' }).split(marker);
  yield `${head}[`;
  for (const [i, f] of report.findings.entries()) yield `${i ? ',' : ''}${fullFinding(f)}`;
  yield `]${tail}\n`;
}

/** `renderMarkdown(report, Infinity)`, a line at a time. */
function* reportMarkdown(report: Report) {
  for (const block of markdownBlocks(report)) for (const line of block) yield `${line}\n`;
}

/** What a streamed body is sent in: large enough for few chunks, small enough to hold one. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * One PutObject of text rendered as it is sent: S3 takes a streamed body when its length is given
 * up front, so the text is rendered twice — once to count its bytes, once to send them in chunks.
 * Only a chunk is in memory at a time, never the object.
 */
async function putRendered(
  s3: S3Client,
  bucket: string,
  key: string,
  contentType: string,
  render: () => Iterable<string>,
): Promise<void> {
  let length = 0;
  for (const part of render()) length += Buffer.byteLength(part);
  // The SDK does not retry a streamed request (it cannot send the stream again), but the text can
  // be rendered again: what it would retry (throttling, a server error) is retried here.
  for (let attempt = 1; ; attempt++) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: Readable.from(inChunks(render())),
          ContentLength: length,
          ContentType: contentType,
        }),
      );
      return;
    } catch (error) {
      if (attempt >= PUT_ATTEMPTS || !outageOf(error)) throw error;
      await sleep(Math.random() * RETRY_BASE_MS * 2 ** attempt);
    }
  }
}

const PUT_ATTEMPTS = 3;
const RETRY_BASE_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function* inChunks(parts: Iterable<string>): Generator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    pending.push(part);
    size += part.length;
    if (size < CHUNK_BYTES) continue;
    yield Buffer.from(pending.join(''));
    pending = [];
    size = 0;
  }
  if (pending.length) yield Buffer.from(pending.join(''));
}
