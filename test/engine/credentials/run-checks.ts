/** Runs every credential check on one facts object and indexes the results by check id. */
import type { CheckResult } from '../../../lambdas/engine/check.ts';
import { credentialChecks } from '../../../lambdas/engine/checks/credentials/index.ts';
import type { InstanceFacts } from '../../../lambdas/engine/facts.ts';

export function runCredentialChecks(facts: InstanceFacts) {
  const results = credentialChecks.flatMap((check) => [check.evaluate(facts)].flat());
  const byId = Object.fromEntries(results.map((r) => [r.id, r])) as Record<string, CheckResult>;
  const causes = results.flatMap((r) => (r.cause && !r.degrading ? [r.cause] : []));
  const degradations = results.flatMap((r) => (r.cause && r.degrading ? [r.cause] : []));
  const statuses = Object.fromEntries(results.map((r) => [r.id, r.status]));
  return { byId, causes, degradations, statuses };
}
