/**
 * Errors as the SDK's deserializer would build them, so callers' error handling runs for real.
 *
 * What callers should match on:
 * - `error.name`: the modeled exception's class name when the SDK has one for the code
 *   (IAM `NoSuchEntity` → `NoSuchEntityException`, SSM `ParameterNotFound`, SNS `NotFound` →
 *   `NotFoundException`), otherwise the AWS error code itself (`InvalidInstanceID.NotFound`,
 *   `UnauthorizedOperation`, IAM `AccessDenied`), thrown as the service's base exception
 *   (`EC2ServiceException`, …). `instanceof NoSuchEntityException` works too.
 * - `error.Code` / `error.Error.Code`: the wire code AWS sent (`NoSuchEntity`,
 *   `InvalidInstanceID.NotFound`), the same for modeled and unmodeled errors.
 * - `$fault` (`client`/`server`) and `$metadata.httpStatusCode` (400/403/404/429/500/503, as AWS).
 * Throttling codes (`Throttling`, `ThrottlingException`, `RequestLimitExceeded`,
 * `TooManyRequestsException`, SNS `Throttled`) keep the names @smithy's error classification
 * keys on, so the standard and adaptive retry strategies retry them.
 * Problems of the simulator itself (an operation or option it does not implement) are a plain
 * `SimulatorError`: never retried, never mistaken for an AWS answer.
 */
import { SDK_SERVICES, type ServicePrefix } from './sdk-services.ts';

export class SimulatorError extends Error {
  override name = 'SimulatorError';
}

export const notImplemented = (what: string): SimulatorError =>
  new SimulatorError(`The simulated account does not implement ${what}`);

interface ModeledError {
  ctor: new (options: { message: string; $metadata: object }) => Error;
  /** The code AWS puts on the wire (`NoSuchEntity` for `NoSuchEntityException`). */
  wireCode: string;
  status: number;
}

/** Status codes of unmodeled errors, as AWS sends them; anything else is a 400. */
const STATUS_BY_CODE: [RegExp, number][] = [
  [
    /^(AccessDenied|AccessDeniedException|AuthorizationError|UnauthorizedOperation|AuthFailure|OptInRequired|InvalidClientTokenId|SignatureDoesNotMatch)$/,
    403,
  ],
  [/^RequestLimitExceeded$/, 503],
  [/^(TooManyRequestsException|Throttled)$/, 429],
  [/^(InternalError|InternalFailure|InternalServerError|ServiceFailure)$/, 500],
  [/^(ServiceUnavailable|Unavailable)$/, 503],
];

const indexes = new Map<ServicePrefix, Map<string, ModeledError>>();

/**
 * Modeled errors of a service from the SDK's own error schemas (`[-3, namespace, name, traits]`),
 * keyed by wire code (the `awsQueryError` trait, else the shape name) and by class name.
 */
function modeledErrors(service: ServicePrefix): Map<string, ModeledError> {
  let index = indexes.get(service);
  if (index) return index;
  index = new Map();
  const { exports } = SDK_SERVICES[service];
  for (const [key, schema] of Object.entries(exports)) {
    if (!key.endsWith('$') || !Array.isArray(schema) || schema[0] !== -3) continue;
    const ctor = exports[key.slice(0, -1)];
    if (typeof ctor !== 'function' || /ServiceException$/.test(key.slice(0, -1))) continue;
    const traits = (schema[3] ?? {}) as {
      awsQueryError?: [string, number];
      httpError?: number;
      error?: string;
    };
    const wireCode = traits.awsQueryError?.[0] ?? String(schema[2]);
    const status = traits.awsQueryError?.[1] ?? traits.httpError ?? (traits.error === 'server' ? 500 : 400);
    const entry = { ctor: ctor as ModeledError['ctor'], wireCode, status };
    index.set(wireCode, entry);
    index.set(String(schema[2]), entry);
  }
  indexes.set(service, index);
  return index;
}

export type AwsError = Error & {
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId?: string };
  Code: string;
};

/** The error AWS would send for `code`, as the SDK of `service` surfaces it. */
export function awsError(service: ServicePrefix, code: string, message: string, status?: number): AwsError {
  const modeled = modeledErrors(service).get(code);
  const httpStatusCode =
    status ?? modeled?.status ?? STATUS_BY_CODE.find(([re]) => re.test(code))?.[1] ?? 400;
  const $fault = httpStatusCode >= 500 ? 'server' : 'client';
  const $metadata = { httpStatusCode };
  const error = modeled
    ? new modeled.ctor({ message, $metadata })
    : new SDK_SERVICES[service].BaseException({ name: code, $fault, message, $metadata });
  const wireCode = modeled?.wireCode ?? code;
  const Type = $fault === 'client' ? 'Sender' : 'Receiver';
  // As @aws-sdk/core's protocols decorate it: the wire code and type, `message` (never `Message`).
  Object.assign(error, {
    $fault,
    $metadata,
    message,
    Code: wireCode,
    Type,
    Error: { Code: wireCode, Type, Message: message },
  });
  delete (error as { Message?: unknown }).Message;
  return error as AwsError;
}

export const isAwsError = (error: unknown): error is AwsError =>
  error instanceof Error && '$metadata' in error && '$fault' in error;
