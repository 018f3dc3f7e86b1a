/**
 * The finding's `degradations` in one short line, for every place people read findings (table,
 * markdown, run email): what still breaks Run Command / Session Manager once the instance
 * registers, so fixing the root cause alone is not mistaken for done. Codes come from the
 * catalog, but the line is sanitized like any other text, and capped so a finding with many
 * never crowds the email's budget.
 */
import type { Finding } from './report-model.ts';
import { plainText } from './text.ts';

const SHOWN = 4;
export const DEGRADATIONS_LEAD = 'Also breaks Run Command / Session Manager once registered';

/** The codes to show (catalog-shaped only: anything else is not ours to print) and how many are left. */
export function shownDegradations(finding: Pick<Finding, 'degradations'>): { codes: string[]; more: number } {
  const codes = (finding.degradations ?? []).filter((code) => /^[A-Z0-9_]+$/.test(code));
  return { codes: codes.slice(0, SHOWN), more: Math.max(0, codes.length - SHOWN) };
}

/** "Also breaks Run Command / Session Manager once registered: A, B", or undefined when none. */
export function degradationsLine(finding: Pick<Finding, 'degradations'>): string | undefined {
  const { codes, more } = shownDegradations(finding);
  if (codes.length === 0) return undefined;
  return plainText(`${DEGRADATIONS_LEAD}: ${codes.join(', ')}${more ? ` and ${more} more` : ''}`, 200);
}
