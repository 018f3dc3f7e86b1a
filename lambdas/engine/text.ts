/**
 * Text from the account is data. A Name tag, a tag value or anything else someone in the account
 * typed passes through here before it reaches a terminal, an email or markdown: escape sequences
 * and control characters could clear a terminal or forge lines ("FIXED THIS RUN"), bidi overrides
 * could make an id read backwards, and markdown or HTML in a name could inject headings, links or
 * scripts into a ticket. The JSON report keeps the raw value (JSON escapes it by construction).
 */

/** ANSI/VT escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), and two-byte ones. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])/g;
/** C0, DEL, C1 (8-bit CSI is `\u009b`), line/paragraph separators, bidi marks, overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g;

/** Longest name shown: a Name tag may be 256 characters, a table column or email line may not. */
export const NAME_LIMIT = 64;

/**
 * One line of inert text: escape sequences removed, every other control character and line break
 * replaced by a space, runs of spaces collapsed, cut to `limit` characters with an ellipsis.
 */
export function plainText(value: string, limit = Number.POSITIVE_INFINITY): string {
  const flat = value.replace(ESCAPE_SEQUENCE, '').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= limit ? flat : `${chars.slice(0, Math.max(1, limit - 1)).join('')}…`;
}

/** A name (Name tag) as people see it: inert, one line, capped. */
export const safeName = (name: string | null | undefined): string | undefined =>
  name ? plainText(name, NAME_LIMIT) || undefined : undefined;

/** `i-0abc (web-1)`, or the id alone. */
export const labelOf = (instanceId: string, name: string | null | undefined): string => {
  const shown = safeName(name);
  return shown ? `${instanceId} (${shown})` : instanceId;
};

/**
 * Markdown-inert text: plain, then every character that markdown or HTML gives meaning escaped
 * (CommonMark allows a backslash before any ASCII punctuation), so `# x`, `[a](b)`, `<script>`,
 * `|` in a table cell and `<placeholder>` all render as written.
 */
export function markdownText(value: string, limit?: number): string {
  return plainText(value, limit).replace(/[\\`*_{}[\]()#+!|<>~&]/g, (ch) => `\\${ch}`);
}

/** A fenced code block that no backtick run inside the command can close. */
export function codeBlock(command: string, indent = ''): string[] {
  const text = plainText(command);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}`, `${indent}${text}`, `${indent}${fence}`];
}

/** Programs a next step may start with: what follows is to be pasted, not read. */
const COMMAND_START =
  /(?:^|: |e\.g\. )((?:aws|nc|curl|sudo|Test-NetConnection|Get-Service|Restart-Service|Invoke-WebRequest)\s.*)$/;

/** Splits a next step into its prose and the command it ends with, if any. */
export function splitCommand(step: string): { prose: string; command?: string; lead?: string } {
  const match = COMMAND_START.exec(step);
  if (!match?.[1]) return { prose: step };
  const lead = step.slice(0, match.index + match[0].length - match[1].length);
  return { prose: lead.replace(/:\s*$/, '').trim(), command: match[1], lead };
}
