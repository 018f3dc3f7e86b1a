/**
 * IAM policy documents as world files hold them and as IAM returns them. IAM's Get* APIs return
 * documents URL-encoded (RFC 3986, what `encodeURIComponent` produces), so a world recorded from
 * a live account holds strings; hand-written worlds hold plain JSON objects. Both are accepted, and
 * the simulator answers in IAM's own encoded form either way.
 */

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A document as a world file may give it: an object, or IAM's URL-encoded JSON string. */
export type WorldPolicyDocument = PolicyDocument | string;

/** Parses either form; throws an Error whose message says what is wrong. */
export function decodePolicyDocument(value: unknown): PolicyDocument {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim().startsWith('{') ? value : safeDecode(value);
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error('a string that is not JSON, nor URL-encoded JSON');
    }
  }
  const problem = documentProblem(parsed);
  if (problem) throw new Error(problem);
  return parsed as PolicyDocument;
}

/** The form IAM returns on the wire: the JSON, URL-encoded. Encoded strings pass through. */
export function encodePolicyDocument(value: WorldPolicyDocument): string {
  if (typeof value === 'string') {
    return value.trim().startsWith('{') ? encodeURIComponent(value) : value;
  }
  return encodeURIComponent(JSON.stringify(value));
}

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

export const asList = (value: StringOrList | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error('a string with broken URL encoding');
  }
}

function documentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const statement = (value as { Statement?: unknown }).Statement;
  if (statement === undefined) return 'no Statement';
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const [index, item] of statements.entries()) {
    const s = item as Partial<PolicyStatement> | null;
    if (typeof s !== 'object' || s === null) return `Statement[${index}] is not an object`;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `Statement[${index}].Effect is not Allow or Deny`;
    if (s.Action === undefined && s.NotAction === undefined)
      return `Statement[${index}] has no Action or NotAction`;
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const v = s[key];
      if (v !== undefined && !isStringOrList(v))
        return `Statement[${index}].${key} is not a string or list of strings`;
    }
  }
  return undefined;
}

const isStringOrList = (v: unknown): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
