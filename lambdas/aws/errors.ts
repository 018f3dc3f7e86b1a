/**
 * Errors we expect from AWS, named at each call and turned into values (habit 5); everything else
 * is rethrown. Each read says which of these it expects:
 * - `denied`: the caller may not make the call (`AccessDenied*`, `UnauthorizedOperation`, SNS
 *   `AuthorizationError`, `OptInRequired` for a region the account has not enabled);
 * - `throttled`: still throttled after the SDK's own retries;
 * - exact codes that mean "gone" or "cannot be answered for this one" for that call
 *   (`NoSuchEntity`, `InvalidInstanceID.NotFound`, `InvalidInstanceId`, …).
 * An outage (`InternalError`, `ServiceUnavailable`, `InternalServerError`, IAM `ServiceFailure`,
 * expired credentials, an expired page token…) is never one of them: it fails the stage, so Step
 * Functions retries it and, if it persists, the run fails loudly — it never becomes a diagnosis.
 */
import { type Readout, type ReadProblem, readFailed, readOk } from '../engine/readout.ts';

export type ExpectedError = 'denied' | 'throttled' | (string & {});

const DENIED =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|OptInRequired)$/;
const THROTTLED =
  /^(Throttling|ThrottlingException|ThrottledException|RequestLimitExceeded|TooManyRequestsException|Throttled|RequestThrottled|RequestThrottledException|SlowDown|PriorRequestNotComplete)$/;

export interface AwsErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** The AWS error code: query protocols carry it in `Code`; SDK v3 also puts it (or the class name) in `name`. */
export function errorCode(error: unknown): string {
  const e = error as AwsErrorLike;
  return e?.Code ?? e?.name ?? 'UnknownError';
}

export function isAwsError(error: unknown): error is AwsErrorLike {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/** Which group (or exact code) of `expected` this error is, if any. */
export function expectedKind(
  error: unknown,
  expected: readonly ExpectedError[],
): ReadProblem['kind'] | undefined {
  if (!isAwsError(error)) return undefined;
  const codes = [errorCode(error), (error as AwsErrorLike).name ?? ''];
  if (expected.includes('denied') && codes.some((c) => DENIED.test(c))) return 'denied';
  if (expected.includes('throttled') && codes.some((c) => THROTTLED.test(c))) return 'throttled';
  if (codes.some((c) => expected.includes(c) || expected.includes(c.replace(/Exception$/, ''))))
    return 'gone';
  return undefined;
}

/** Is this error one of the exact codes given (e.g. `NoSuchEntity`, however the SDK names its class)? */
export const isCode = (error: unknown, ...codes: string[]): boolean => expectedKind(error, codes) === 'gone';

/** Turns an expected AWS error into a ReadProblem; rethrows anything else. */
export function toProblem(
  operation: string,
  error: unknown,
  expected: readonly ExpectedError[],
): ReadProblem {
  const kind = expectedKind(error, expected);
  if (!kind) throw error;
  return { operation, code: errorCode(error), message: (error as AwsErrorLike).message ?? '', kind };
}

/** Runs one read; an error it expects becomes a problem readout, anything else is thrown. */
export async function attempt<T>(
  operation: string,
  read: () => Promise<T>,
  expected: readonly ExpectedError[],
): Promise<Readout<T>> {
  try {
    return readOk(await read());
  } catch (error) {
    return readFailed(toProblem(operation, error, expected));
  }
}

/** What most reads expect: the caller may be denied, and the API may throttle past the retries. */
export const DENIED_OR_THROTTLED: readonly ExpectedError[] = ['denied', 'throttled'];

/**
 * An AWS error that says the service (or the session) is unwell, not that this read is impossible:
 * a 5xx, throttling that outlasted the SDK's retries outside the reads that expect it, expired
 * credentials or page tokens. The workflow retries a stage that fails with it (`AwsOutage`).
 */
export class AwsOutage extends Error {
  override name = 'AwsOutage';
}

const TRANSIENT =
  /^(ExpiredToken|ExpiredTokenException|RequestExpired|InvalidNextToken|InvalidNextTokenException|InvalidPaginationToken|RequestTimeout|RequestTimeoutException)$/;

export function outageOf(error: unknown): AwsOutage | undefined {
  if (!isAwsError(error)) return undefined;
  const e = error as AwsErrorLike & { $fault?: string };
  const code = errorCode(error);
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (e.$fault !== 'server' && status < 500 && !THROTTLED.test(code) && !TRANSIENT.test(code))
    return undefined;
  return new AwsOutage(`${code}: ${e.message ?? 'AWS did not answer'}`, { cause: error });
}
