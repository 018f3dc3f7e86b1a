/**
 * Reading world files. A malformed world is rejected before anything runs, with one message a
 * person can act on: the file, the JSON path of the first problem, what was expected and what was
 * found (`world.json: ec2.Instances[3].State.Name: expected one of pending|running|…, got "runing"`).
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { type World, worldSchema } from './world-schema.ts';

export { WORLD_FORMAT, type World, type WorldInput } from './world-schema.ts';

export class WorldError extends Error {
  override name = 'WorldError';
  constructor(
    message: string,
    /** The file (or label) the world came from. */
    readonly source: string,
    /** JSON path of the first problem, e.g. `ec2.Instances[3].State.Name` (absent for unreadable files). */
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Validates an already-parsed world; `source` names it in errors. */
export function parseWorld(json: unknown, source = 'world'): World {
  const result = worldSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = formatPath(issue.path);
  throw new WorldError(`${source}: ${path ? `${path}: ` : ''}${describeIssue(issue)}`, source, path);
}

/** Reads and validates a world file. */
export async function loadWorld(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WorldError(`${path}: cannot read the world file (${code ?? (error as Error).message})`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new WorldError(`${path}: ${describeJsonError(text, error as Error)}`, path);
  }
  return parseWorld(json, path);
}

/** `ec2.Instances[3].State.Name`; keys that are not identifiers are quoted: `ec2.ConsoleOutput["i-1"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : ', but it is missing';
  switch (issue.code) {
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      return values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}${got}`
        : `expected one of ${values.join('|')}${got}`;
    }
    case 'invalid_type':
      return issue.message.startsWith('expected ')
        ? `${issue.message}${got}`
        : `expected ${issue.expected}${got}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (not part of ssm-doctor/world@1; check the spelling)`;
    case 'invalid_key': {
      const inner = issue.issues[0];
      return `key ${describeValue(issue.input)}: ${inner?.message ?? 'invalid key'}`;
    }
    case 'custom':
      return issue.message.includes(', got ') ? issue.message : `${issue.message}${got}`;
    default:
      // Our validators word their messages as "expected …"; zod's own say what was wrong.
      return `${issue.message}${got}`;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** JSON.parse reports a character position (Node 20) or a line and column (newer V8): say line/column. */
function describeJsonError(text: string, error: Error): string {
  const reason = error.message
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '')
    .replace(/^Unexpected token '?(.)'?, .* is not valid JSON$/s, "unexpected '$1'");
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return `invalid JSON at line ${lineColumn[1]}, column ${lineColumn[2]}: ${reason}`;
  const position = /position (\d+)/.exec(error.message);
  const offset = position
    ? Number(position[1])
    : /end of JSON input/.test(error.message)
      ? text.length
      : firstBadOffset(text);
  const before = text.slice(0, offset).split('\n');
  return `invalid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: ${reason}`;
}

/**
 * Some V8 messages ("Unexpected token '}', ... is not valid JSON") carry no position. A prefix of
 * the text fails at a position inside it exactly when it contains the bad token (a prefix that
 * merely stops early fails at its end), so a binary search over prefix lengths finds the token in
 * O(log n) parses.
 */
function firstBadOffset(text: string): number {
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = (error as Error).message;
      if (/end of JSON input/.test(message)) return false;
      const position = /position (\d+)/.exec(message);
      return position ? Number(position[1]) < length : true;
    }
  };
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsInside(mid)) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}
