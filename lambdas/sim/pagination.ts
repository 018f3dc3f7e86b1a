/**
 * Pagination as each API family does it. EC2/SSM/CloudWatch: `MaxResults` + `NextToken`; IAM:
 * `MaxItems` + `Marker` + `IsTruncated`. Page sizes outside the API's documented range are
 * rejected with that service's validation error (so an adapter asking SSM for 100 fails here as
 * it would against AWS). Tokens are opaque, tied to the operation, and checked.
 */
import { awsError } from './errors.ts';
import type { ServicePrefix } from './sdk-services.ts';

export interface PageLimits {
  min: number;
  max: number;
  /** Page size when the caller sets none (EC2 returns everything at once for most Describe calls). */
  defaultSize: number;
}

interface Page<T> {
  items: T[];
  /** Token of the next page; absent on the last page. */
  next?: string;
}

function encodeToken(operation: string, offset: number): string {
  return Buffer.from(JSON.stringify({ op: operation, offset })).toString('base64url');
}

function decodeToken(operation: string, token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      op?: unknown;
      offset?: unknown;
    };
    return parsed.op === operation && Number.isInteger(parsed.offset) ? (parsed.offset as number) : undefined;
  } catch {
    return undefined;
  }
}

const constraint = (value: number, limits: PageLimits) =>
  value < limits.min ? `greater than or equal to ${limits.min}` : `less than or equal to ${limits.max}`;

/** Each service's answer to a bad page size or token, as AWS words it. */
/** The services whose simulated reads page here (S3 and EventBridge only write, Step Functions only describes; Route 53 pages itself). */
type PagingService = Exclude<ServicePrefix, 's3' | 'events' | 'states' | 'route53' | 'route53resolver'>;

const PAGING_ERRORS: Record<
  PagingService,
  { range(param: string, v: number, l: PageLimits): Error; token(): Error }
> = {
  ec2: {
    range: (param, v, l) =>
      awsError(
        'ec2',
        'InvalidParameterValue',
        `Value ( ${v} ) for parameter ${param} is invalid. Expecting a value between ${l.min} and ${l.max}.`,
      ),
    token: () => awsError('ec2', 'InvalidNextToken', 'The specified NextToken is not valid.'),
  },
  ssm: {
    range: (param, v, l) =>
      awsError(
        'ssm',
        'ValidationException',
        `1 validation error detected: Value '${v}' at '${param}' failed to satisfy constraint: Member must have value ${constraint(v, l)}`,
      ),
    token: () => awsError('ssm', 'InvalidNextToken', 'The specified token is not valid.'),
  },
  iam: {
    range: (param, v, l) =>
      awsError(
        'iam',
        'ValidationError',
        `1 validation error detected: Value '${v}' at '${param}' failed to satisfy constraint: Member must have value ${constraint(v, l)}`,
      ),
    token: () => awsError('iam', 'InvalidInput', 'Invalid Marker.'),
  },
  cloudwatch: {
    range: (param, v, l) =>
      awsError(
        'cloudwatch',
        'InvalidParameterValue',
        `The value ${v} for parameter ${param} is not between ${l.min} and ${l.max}.`,
      ),
    token: () => awsError('cloudwatch', 'InvalidNextToken', 'The service returned an invalid NextToken.'),
  },
  sns: {
    range: (param, v) => awsError('sns', 'InvalidParameter', `Invalid parameter: ${param} (${v})`),
    token: () => awsError('sns', 'InvalidParameter', 'Invalid parameter: NextToken'),
  },
  sts: {
    range: (param, v) => awsError('sts', 'ValidationError', `Invalid value ${v} for ${param}`),
    token: () => awsError('sts', 'ValidationError', 'Invalid token'),
  },
};

/** One page of `items`, after checking the page size against `limits` and the token. */
export function page<T>(
  service: PagingService,
  operation: string,
  items: readonly T[],
  request: { size?: number; token?: string; sizeParam?: string },
  limits: PageLimits,
): Page<T> {
  const errors = PAGING_ERRORS[service];
  const size = request.size ?? limits.defaultSize;
  if (request.size !== undefined && (request.size < limits.min || request.size > limits.max)) {
    throw errors.range(request.sizeParam ?? 'maxResults', request.size, limits);
  }
  let offset = 0;
  if (request.token !== undefined) {
    const decoded = decodeToken(operation, request.token);
    if (decoded === undefined) throw errors.token();
    offset = decoded;
  }
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { next: encodeToken(operation, end) } : {}),
  };
}

/** EC2's form: `{ MaxResults, NextToken }` in, `NextToken` out. */
export function ec2Page<T>(
  operation: string,
  items: readonly T[],
  input: { MaxResults?: number; NextToken?: string },
  limits: PageLimits = { min: 5, max: 1000, defaultSize: Number.POSITIVE_INFINITY },
): { items: T[]; NextToken?: string } {
  const { items: pageItems, next } = page(
    'ec2',
    operation,
    items,
    { size: input.MaxResults, token: input.NextToken },
    limits,
  );
  return { items: pageItems, ...(next ? { NextToken: next } : {}) };
}

/** IAM's form: `{ MaxItems, Marker }` in, `{ IsTruncated, Marker }` out (MaxItems 1–1000, default 100). */
export function iamPage<T>(
  operation: string,
  items: readonly T[],
  input: { MaxItems?: number; Marker?: string },
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const { items: pageItems, next } = page(
    'iam',
    operation,
    items,
    { size: input.MaxItems, token: input.Marker, sizeParam: 'maxItems' },
    { min: 1, max: 1000, defaultSize: 100 },
  );
  return { items: pageItems, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
}
