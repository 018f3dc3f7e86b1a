/**
 * The simulated S3 API: PutObject into a bucket of this account. Nothing is persisted beyond the
 * account object: each object is kept in the account's `objects` (tests read the stored report
 * there). Bucket names follow S3's rules, so a malformed name fails here as it would in AWS.
 */
import { createHash } from 'node:crypto';
import type { PutObjectRequest } from '@aws-sdk/client-s3';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';

export interface StoredObject {
  Bucket: string;
  Key: string;
  Body: string;
  ContentType?: string;
  ServerSideEncryption?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function bodyText(body: PutObjectRequest['Body']): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body === undefined) return '';
  throw awsError('s3', 'NotImplemented', 'The simulated S3 takes string or byte bodies only');
}

function putObject(input: PutObjectRequest, ctx: SimContext) {
  if (!input.Bucket || !BUCKET.test(input.Bucket))
    throw awsError('s3', 'InvalidBucketName', 'The specified bucket is not valid.');
  if (!input.Key || Buffer.byteLength(input.Key) > 1024)
    throw awsError('s3', 'KeyTooLongError', 'Your key is too long');
  const Body = bodyText(input.Body);
  ctx.store({
    Bucket: input.Bucket,
    Key: input.Key,
    Body,
    ...(input.ContentType ? { ContentType: input.ContentType } : {}),
    // Buckets encrypt by default (SSE-S3) since 2023.
    ServerSideEncryption: input.ServerSideEncryption ?? 'AES256',
  });
  return {
    ETag: `"${createHash('md5').update(Body).digest('hex')}"`,
    ServerSideEncryption: input.ServerSideEncryption ?? 'AES256',
  };
}

export const s3Handlers: Handlers = { PutObject: putObject };
