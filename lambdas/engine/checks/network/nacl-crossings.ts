/** Folding the ACL crossings of one service's traffic into one status and one clause. */
import type { CrossingResult } from './nacl-flows.ts';

export interface CrossingsVerdict {
  status: 'allow' | 'fail' | 'unknown' | 'warn';
  /** The first problem, and how many more there are (all of them are in `problems`). */
  detail: string;
  problems: string[];
  nextSteps: string[];
}

/** deny → fail, then unknown, then uncertain → warn; allow only when every crossing allows. */
export function foldCrossings(results: readonly CrossingResult[]): CrossingsVerdict {
  const order = [
    ['fail', 'deny'],
    ['unknown', 'unknown'],
    ['warn', 'uncertain'],
  ] as const;
  for (const [status, crossingStatus] of order) {
    const chosen = results.filter((r) => r.status === crossingStatus);
    if (chosen.length === 0) continue;
    const problems = [...new Set(chosen.map((r) => r.detail ?? ''))];
    const more = problems.length - 1;
    return {
      status,
      detail: `${problems[0]}${more > 0 ? ` (and ${more} more blocked crossing${more > 1 ? 's' : ''})` : ''}`,
      problems,
      nextSteps: [...new Set(chosen.flatMap((r) => (r.fix ? [r.fix] : [])))],
    };
  }
  return { status: 'allow', detail: '', problems: [], nextSteps: [] };
}
