/** Small helpers that keep summaries reading as sentences. */

/** "ssm", "ssm and ec2messages", "ssm, ec2messages and ssmmessages". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Upper-cases the first letter of a sentence, unless it starts with a resource id or a hostname. */
export const capital = (text: string): string =>
  /^[^\s]*[-.]/.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
