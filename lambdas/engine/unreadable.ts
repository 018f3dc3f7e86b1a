/**
 * Reads that could not be made: an area denied, or throttled past the SDK's retries. They are
 * never "nothing blocking": each finding says what it could not check and why, and the run reports
 * one error per failed read (which API, which error, how many instances, what to grant), so the
 * email's configuration section names it.
 */
import { FACT_SOURCES } from './fact-sources.ts';
import type { InstanceFacts } from './facts.ts';
import type { ReadProblem } from './readout.ts';
import type { RunError, UnreadableRead } from './report-model.ts';

/** `DescribeRouteTables` → `ec2:DescribeRouteTables` (the action a policy must grant). */
export function actionOfOperation(operation: string): string {
  for (const actions of Object.values(FACT_SOURCES)) {
    const found = actions.find((action) => action.endsWith(`:${operation}`));
    if (found) return found;
  }
  return operation;
}

const couldNotRead = (problem: ReadProblem) => problem.kind === 'denied' || problem.kind === 'throttled';

/** Every denied or throttled read among one candidate's facts (instance objects are not searched). */
export function unreadableReads(facts: InstanceFacts): UnreadableRead[] {
  const found = new Map<string, UnreadableRead>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || typeof value !== 'object' || value === null) return;
    const readout = value as { ok?: unknown; problem?: ReadProblem; value?: unknown };
    if (readout.ok === false && readout.problem) {
      if (couldNotRead(readout.problem)) {
        const api = actionOfOperation(readout.problem.operation);
        found.set(`${api} ${readout.problem.code}`, { api, code: readout.problem.code });
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'candidate') visit(child, depth + 1);
  };
  visit(facts, 0);
  return [...found.values()];
}

/** One run-level error per failed read, over every finding that needed it. */
export function unreadableErrors(
  findings: readonly { instanceId: string; unreadable?: UnreadableRead[] }[],
): RunError[] {
  const byRead = new Map<string, { read: UnreadableRead; instances: number }>();
  for (const finding of findings) {
    for (const read of finding.unreadable ?? []) {
      const key = `${read.api} ${read.code}`;
      const entry = byRead.get(key) ?? { read, instances: 0 };
      entry.instances++;
      byRead.set(key, entry);
    }
  }
  return [...byRead.values()]
    .sort((a, b) => b.instances - a.instances || a.read.api.localeCompare(b.read.api))
    .map(({ read, instances }) => unreadableError(read, instances));
}

export function unreadableError(read: UnreadableRead, instances: number): RunError {
  const throttled = /thrott|limit|toomany|slowdown/i.test(read.code);
  const what = `${instances} instance${instances === 1 ? '' : 's'}`;
  const fix = throttled
    ? `the API stayed throttled past retries; if it persists, look for other callers of ${read.api} in the account, or raise its quota`
    : `grant ${read.api} to the role ssm-doctor runs as (\`ssm-doctor permissions\` prints the policy)`;
  return {
    code: read.code,
    api: read.api,
    message: `Could not read ${read.api} (${read.code}), so ${what} could not be fully checked: ${fix}.`,
  };
}

/** The first next step of a finding that could not be fully checked. */
export function unreadableStep(reads: readonly UnreadableRead[]): string | undefined {
  if (!reads.length) return undefined;
  const list = reads.map((r) => `${r.api} (${r.code})`).join(', ');
  return `First make these reads possible, then run again: ${list}: until then the checks that need them stay unknown.`;
}
