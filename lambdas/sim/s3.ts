/**
 * The simulated S3 API: PutObject into a bucket of this account and GetObject back. Nothing is
 * persisted beyond the account object: each object is kept in the account's `objects` (tests read
 * the stored report there; a key written again replaces the earlier object, as S3 without
 * versioning does). Bucket names follow S3's rules, so a malformed name fails here as in AWS. A
 * body may be streamed (read off the request: request-body.ts); S3 then needs its length up front
 * (`ContentLength`) and refuses a body of another length, as it does any body whose length is
 * not the one declared.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { GetObjectRequest, PutObjectRequest } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';

export interface StoredObject {
  Bucket: string;
  Key: string;
  /** The body as UTF-8 text (what tests read); `Bytes` holds it exactly (gzip stays gzip). */
  Body: string;
  Bytes: Uint8Array;
  ContentType?: string;
  ContentEncoding?: string;
  ServerSideEncryption?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function bodyBytes(body: PutObjectRequest['Body']): Uint8Array {
  if (typeof body === 'string') return new Uint8Array(Buffer.from(body, 'utf8'));
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (body === undefined) return new Uint8Array();
  throw awsError('s3', 'NotImplemented', 'The simulated S3 takes string or byte bodies only');
}

function putObject(input: PutObjectRequest, ctx: SimContext) {
  if (!input.Bucket || !BUCKET.test(input.Bucket))
    throw awsError('s3', 'InvalidBucketName', 'The specified bucket is not valid.');
  if (!input.Key || Buffer.byteLength(input.Key) > 1024)
    throw awsError('s3', 'KeyTooLongError', 'Your key is too long');
  const Bytes = bodyBytes(input.Body);
  if (input.ContentLength !== undefined && input.ContentLength !== Bytes.byteLength)
    throw awsError(
      's3',
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  ctx.store({
    Bucket: input.Bucket,
    Key: input.Key,
    Body: Buffer.from(Bytes).toString('utf8'),
    Bytes,
    ...(input.ContentType ? { ContentType: input.ContentType } : {}),
    ...(input.ContentEncoding ? { ContentEncoding: input.ContentEncoding } : {}),
    // Buckets encrypt by default (SSE-S3) since 2023.
    ServerSideEncryption: input.ServerSideEncryption ?? 'AES256',
  });
  return {
    ETag: etagOf(Bytes),
    ServerSideEncryption: input.ServerSideEncryption ?? 'AES256',
  };
}

const etagOf = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

function getObject(input: GetObjectRequest, ctx: SimContext) {
  const object = ctx.stored(input.Bucket ?? '', input.Key ?? '');
  if (!object) throw awsError('s3', 'NoSuchKey', 'The specified key does not exist.');
  return {
    // The SDK hands back a stream with transformToByteArray(); the output projector keeps it as is.
    Body: sdkStreamMixin(Readable.from([Buffer.from(object.Bytes)])),
    ContentLength: object.Bytes.byteLength,
    ETag: etagOf(object.Bytes),
    ...(object.ContentType ? { ContentType: object.ContentType } : {}),
    ...(object.ContentEncoding ? { ContentEncoding: object.ContentEncoding } : {}),
    ServerSideEncryption: object.ServerSideEncryption,
  };
}

export const s3Handlers: Handlers = { PutObject: putObject, GetObject: getObject };
