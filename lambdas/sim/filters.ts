/**
 * EC2's `Filters` semantics: values of one filter are ORed, filters are ANDed, values may use the
 * wildcards `*` (zero or more characters) and `?` (zero or one character, as the EC2 API reference
 * defines it), matching is case-sensitive. `tag:<key>`, `tag-key` and `tag-value` work on every
 * resource with `Tags`. A filter name the resource does not support is an `InvalidParameterValue`
 * error naming it, as AWS answers, so an adapter cannot silently mis-filter against the simulator.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { awsError } from './errors.ts';

type Scalar = string | number | boolean | undefined | null;
/** The value(s) a resource has for one filter name. */
export type Accessor<T> = (item: T) => Scalar | readonly Scalar[];
export type FilterSpec<T> = Readonly<Record<string, Accessor<T>>>;

type Tag = { Key?: string; Value?: string };
/** Most resources carry `Tags`; network interfaces call theirs `TagSet`. */
const tagsOf = (item: object): Tag[] =>
  (item as { Tags?: Tag[] }).Tags ?? (item as { TagSet?: Tag[] }).TagSet ?? [];

/** AWS's limit on values across one request's filters. */
const MAX_FILTER_VALUES = 200;

export function applyFilters<T extends object>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  spec: FilterSpec<T>,
): T[] {
  if (!filters?.length) return [...items];
  const compiled = filters.map((filter) => compileFilter(filter, spec));
  const total = filters.reduce((n, f) => n + (f.Values?.length ?? 0), 0);
  if (total > MAX_FILTER_VALUES) {
    throw awsError(
      'ec2',
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  }
  return items.filter((item) => compiled.every((matches) => matches(item)));
}

function compileFilter<T extends object>(filter: Filter, spec: FilterSpec<T>): (item: T) => boolean {
  const name = filter.Name ?? '';
  const accessor = accessorFor(name, spec);
  if (!accessor) throw awsError('ec2', 'InvalidParameterValue', `The filter '${name}' is invalid`);
  if (!filter.Values?.length) {
    throw awsError('ec2', 'InvalidParameterValue', `The filter '${name}' requires at least one value`);
  }
  // A value without a wildcard matches only itself: a set lookup, not a pattern per value (a
  // filter of 100 instance ids over a 100,000-instance world is 10 million tests otherwise).
  const exact = new Set(filter.Values.filter((value) => !/[*?]/.test(value)));
  const patterns = filter.Values.filter((value) => /[*?]/.test(value)).map(wildcard);
  return (item) => {
    const found = accessor(item);
    const values = (Array.isArray(found) ? found : [found]) as Scalar[];
    return values.some((v) => {
      if (v === undefined || v === null) return false;
      const text = String(v);
      return exact.has(text) || patterns.some((p) => p.test(text));
    });
  };
}

function accessorFor<T extends object>(name: string, spec: FilterSpec<T>): Accessor<T> | undefined {
  if (Object.hasOwn(spec, name)) return spec[name];
  if (name.startsWith('tag:') && name.length > 4) {
    const key = name.slice(4);
    return (item) =>
      tagsOf(item)
        .filter((t) => t.Key === key)
        .map((t) => t.Value ?? '');
  }
  if (name === 'tag-key') return (item) => tagsOf(item).map((t) => t.Key);
  if (name === 'tag-value') return (item) => tagsOf(item).map((t) => t.Value);
  return undefined;
}

const compiledPatterns = new Map<string, RegExp>();

/** A filter value as an anchored pattern: `*` → any run, `?` → at most one character. */
export function wildcard(value: string): RegExp {
  let re = compiledPatterns.get(value);
  if (!re) {
    const body = value
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.?' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    compiledPatterns.set(value, re);
  }
  return re;
}
