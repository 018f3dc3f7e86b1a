/**
 * IAM `Condition` blocks, evaluated against a request context the way IAM documents it:
 * - every operator in a block must hold, every key under an operator must hold (AND), and any one
 *   of a key's values may match (OR);
 * - keys are case-insensitive; string values are case-sensitive except for `…IgnoreCase`;
 * - a key absent from the context makes a positive operator false and a negated one
 *   (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`…) true; `…IfExists` makes any operator true
 *   for an absent key; `Null: true` asks for the key to be absent;
 * - `ForAnyValue:` / `ForAllValues:` compare multi-valued keys (ForAllValues of an absent key holds);
 * - `${aws:…}` policy variables are replaced from the context (an absent one leaves no match).
 * Keys that a condition asked for and the context lacked are reported, as IAM's simulation reports
 * them in `MissingContextValues`.
 */
import { cidrContains } from '../engine/checks/network/ipv4.ts';

/** Condition key → its value(s) in this request. Keys are matched case-insensitively. */
export type RequestContext = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ConditionOutcome {
  holds: boolean;
  /** Keys the block asked for that the context did not have (as written in the policy). */
  missing: string[];
}

type Compare = (actual: string, expected: string) => boolean;

const likePatterns = new Map<string, RegExp>();
function like(actual: string, pattern: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = likePatterns.get(key);
  if (!re) {
    const body = [...pattern]
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    likePatterns.set(key, re);
  }
  return re.test(actual);
}

/** IAM's IpAddress: an address inside the CIDR (a bare address is its /32). IPv4 only here. */
const inCidr = (address: string, cidr: string): boolean =>
  cidr.includes('/') ? cidrContains(cidr, address) : address === cidr;

const numeric =
  (test: (a: number, b: number) => boolean): Compare =>
  (actual, expected) =>
    Number.isFinite(Number(actual)) &&
    Number.isFinite(Number(expected)) &&
    test(Number(actual), Number(expected));
const date =
  (test: (a: number, b: number) => boolean): Compare =>
  (actual, expected) => {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    return Number.isFinite(a) && Number.isFinite(b) && test(a, b);
  };

/** Positive operators; each negated one is listed with the positive it negates. */
const POSITIVE: Record<string, Compare> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => like(a, e),
  ArnEquals: (a, e) => like(a, e),
  ArnLike: (a, e) => like(a, e),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: date((a, b) => a === b),
  DateLessThan: date((a, b) => a < b),
  DateLessThanEquals: date((a, b) => a <= b),
  DateGreaterThan: date((a, b) => a > b),
  DateGreaterThanEquals: date((a, b) => a >= b),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  BinaryEquals: (a, e) => a === e,
  IpAddress: (a, e) => inCidr(a, e),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
};

/** An operator the simulator does not know: it must not silently count as holding or failing. */
export class UnsupportedConditionError extends Error {
  override name = 'UnsupportedConditionError';
}

const asValues = (value: unknown): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

function lookup(context: RequestContext, key: string): readonly string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? [value] : value;
  }
  return undefined;
}

/** `${aws:username}`-style variables in a policy value, from the context; undefined when one is absent. */
function substitute(value: string, context: RequestContext): string | undefined {
  let absent = false;
  const replaced = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const found = lookup(context, name)?.[0];
    if (found === undefined) absent = true;
    return found ?? '';
  });
  return absent ? undefined : replaced;
}

export function evaluateCondition(condition: unknown, context: RequestContext): ConditionOutcome {
  const missing: string[] = [];
  if (condition === undefined || condition === null) return { holds: true, missing };
  if (typeof condition !== 'object') throw new UnsupportedConditionError('Condition is not an object');
  let holds = true;
  for (const [rawOperator, keys] of Object.entries(condition as Record<string, unknown>)) {
    for (const [key, expected] of Object.entries((keys ?? {}) as Record<string, unknown>)) {
      const actual = lookup(context, key);
      if (actual === undefined && !missing.includes(key)) missing.push(key);
      if (!operatorHolds(rawOperator, actual, asValues(expected), context)) holds = false;
    }
  }
  return { holds, missing };
}

function operatorHolds(
  rawOperator: string,
  actual: readonly string[] | undefined,
  expected: string[],
  context: RequestContext,
): boolean {
  const setMatch = rawOperator.match(/^(ForAnyValue|ForAllValues):(.+)$/);
  const withoutSet = setMatch ? (setMatch[2] as string) : rawOperator;
  const ifExists = withoutSet.endsWith('IfExists');
  const operator = ifExists ? withoutSet.slice(0, -'IfExists'.length) : withoutSet;

  if (operator === 'Null') {
    const wantsAbsent = (expected[0] ?? '').toLowerCase() === 'true';
    return wantsAbsent === (actual === undefined || actual.length === 0);
  }
  const negatedOf = NEGATED[operator];
  const compare = POSITIVE[negatedOf ?? operator];
  if (!compare) throw new UnsupportedConditionError(`condition operator ${rawOperator} is not simulated`);
  const values = expected.map((e) => substitute(e, context)).filter((e): e is string => e !== undefined);
  const matchesOne = (a: string) => values.some((e) => compare(a, e));

  if (actual === undefined || actual.length === 0) {
    if (setMatch?.[1] === 'ForAllValues') return true;
    if (ifExists) return true;
    return negatedOf !== undefined && setMatch === null;
  }
  if (setMatch?.[1] === 'ForAllValues') {
    return actual.every((a) => (negatedOf ? !matchesOne(a) : matchesOne(a)));
  }
  // ForAnyValue, and single-valued keys (IAM compares each value of a multi-valued key the same way).
  return negatedOf ? !actual.some(matchesOne) : actual.some(matchesOne);
}
