/**
 * Errors we expect from AWS, turned into values (habit 5). Anything else is rethrown: a bug or an
 * outage must not be reported as a diagnosis.
 */
import { type Readout, type ReadProblem, readFailed, readOk } from '../engine/readout.ts';

const EXPECTED = [
  /^AccessDenied/,
  /^UnauthorizedOperation$/,
  /^Unauthorized/,
  /NotFound$/,
  /^NoSuchEntity/,
  /^InvalidParameter/,
  /^Throttl/,
  /^RequestLimitExceeded$/,
  /^TooManyRequests/,
  /^ServiceUnavailable/,
  /^InternalError$/,
  /^InternalFailure$/,
  /^RequestExpired$/,
  /^InvalidClientTokenId$/,
  /^ExpiredToken/,
  /^OptInRequired$/,
];

export interface AwsErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** The AWS error code: SDK v3 puts it in `name`; query protocols may also carry `Code`. */
export function errorCode(error: unknown): string {
  const e = error as AwsErrorLike;
  return e?.Code ?? e?.name ?? 'UnknownError';
}

export function isAwsError(error: unknown): error is AwsErrorLike {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

export function isExpectedAwsError(error: unknown): boolean {
  if (!isAwsError(error)) return false;
  const code = errorCode(error);
  return EXPECTED.some((pattern) => pattern.test(code));
}

export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return isAwsError(error) && (/NotFound$/.test(code) || /^NoSuchEntity/.test(code));
}

/** Turns an expected AWS error into a ReadProblem; rethrows anything else. */
export function toProblem(operation: string, error: unknown): ReadProblem {
  if (!isExpectedAwsError(error)) throw error;
  const e = error as AwsErrorLike;
  return { operation, code: errorCode(error), message: e.message ?? '' };
}

/** Runs one read; an expected AWS error becomes a problem readout. */
export async function attempt<T>(operation: string, read: () => Promise<T>): Promise<Readout<T>> {
  try {
    return readOk(await read());
  } catch (error) {
    return readFailed(toProblem(operation, error));
  }
}
