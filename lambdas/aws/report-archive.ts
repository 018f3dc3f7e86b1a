/**
 * The full report of a run, kept in the stack's report bucket as JSON (`ssm-doctor/report@1`, for
 * tools) and markdown (for people, without the size bound a ticket needs), under
 * `runs/<YYYY-MM-DD>/<runId>/`. The email links to the markdown in the S3 console: the bucket is
 * private, so a link works for people who may read it, and for nobody else.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { renderMarkdown } from '../cli/render/markdown.ts';
import type { Report } from '../engine/report-model.ts';

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

export async function storeReport(
  s3: S3Client,
  bucket: string,
  report: Report,
  runId: string,
  partition: string,
): Promise<StoredReport> {
  const { jsonKey, markdownKey } = reportKeys(report, runId);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: jsonKey,
      Body: `${JSON.stringify(report, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: markdownKey,
      Body: renderMarkdown(report, Number.POSITIVE_INFINITY),
      ContentType: 'text/markdown; charset=utf-8',
    }),
  );
  return { jsonKey, markdownKey, consoleUrl: consoleUrlOf(partition, report.region, bucket, markdownKey) };
}
