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

/**
 * Keeps the report. `fullFinding` gives a finding's full JSON where the report holds a lighter
 * copy (the workflow's Report keeps evidence compressed per finding, so a 10,000-finding report
 * never sits in memory whole); the JSON is written compact, a finding at a time.
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
  const marker = '"__findings__"';
  const [head, tail] = JSON.stringify({ ...report, findings: '__findings__' }).split(marker);
  const parts: Buffer[] = [Buffer.from(`${head}[`)];
  report.findings.forEach((f, i) => {
    parts.push(Buffer.from(`${i ? ',' : ''}${fullFinding(f)}`));
  });
  parts.push(Buffer.from(`]${tail}\n`));
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: jsonKey,
      Body: Buffer.concat(parts),
      ContentType: 'application/json',
    }),
  );
  parts.length = 0;
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
