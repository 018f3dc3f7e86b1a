/**
 * A request body the SDK streams (S3 PutObject with a stream `Body`), as the service receives it:
 * the simulated account answers before the HTTP handler would send the request, so it reads the
 * body off the request itself, as a socket would carry it — the SDK's own wrapper stream included
 * (left unread, that wrapper would keep every byte of the body). With flexible checksums the
 * SDK frames it `aws-chunked` (`<hex size>\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`), which S3
 * strips; so does `decodeAwsChunked`. The trailing checksum is not verified here.
 */

interface WireRequest {
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

export const isStreamedBody = (body: unknown): body is AsyncIterable<string | Uint8Array> =>
  typeof body === 'object' &&
  body !== null &&
  !(body instanceof Uint8Array) &&
  typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/** Whether a request's `content-encoding` (e.g. `gzip,aws-chunked`) says the SDK framed its body. */
export const isAwsChunked = (contentEncoding: string | undefined): boolean =>
  (contentEncoding ?? '').split(',').some((coding) => coding.trim() === 'aws-chunked');

/** The payload of an `aws-chunked` body. */
export function decodeAwsChunked(wire: Uint8Array): Uint8Array {
  const bytes = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol < 0) throw new Error('aws-chunked body ends inside a chunk header');
    // A chunk header may carry extensions (`;chunk-signature=…`) after the size.
    const size = Number.parseInt(bytes.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size)) throw new Error('aws-chunked body has a malformed chunk size');
    if (size === 0) break;
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The body of a request whose body is a stream, read to its end (and unframed); else `undefined`. */
export async function streamedBodyOf(request: unknown): Promise<Uint8Array | undefined> {
  const { body, headers } = (request ?? {}) as WireRequest;
  if (!isStreamedBody(body)) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  const wire = new Uint8Array(Buffer.concat(chunks));
  return isAwsChunked(headers?.['content-encoding']) ? decodeAwsChunked(wire) : wire;
}
