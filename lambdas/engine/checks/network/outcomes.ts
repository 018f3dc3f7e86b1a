/**
 * The security group and ACL checks judge each service's path on its own, then report once:
 * the worst status wins, and services with the same finding share one clause.
 */
import type { CauseCode } from '../../causes.ts';
import { type CheckResult, type CheckStatus, result } from '../../check.ts';
import type { ServicePath } from './path-types.ts';
import { blocksRegistration, type SsmService } from './services.ts';
import { capital, joinNames } from './wording.ts';

export interface ServiceOutcome {
  service: SsmService;
  status: CheckStatus;
  /** A clause naming the resources, without a capital or a full stop. */
  detail: string;
  nextSteps?: string[];
  evidence: Record<string, unknown>;
}

/** Builds one service's outcome: `outcomeOf(service)('fail', 'clause', evidence, nextSteps)`. */
export const outcomeOf =
  (service: SsmService) =>
  (
    status: CheckStatus,
    detail: string,
    evidence: Record<string, unknown> = {},
    nextSteps?: string[],
  ): ServiceOutcome => ({
    service,
    status,
    detail,
    evidence,
    ...(nextSteps ? { nextSteps } : {}),
  });

/** A service this check cannot judge because its path is absent or unknown, or `undefined` to judge it. */
export function outcomeWithoutDestination(path: ServicePath): ServiceOutcome | undefined {
  if (path.path === 'none') {
    return {
      service: path.service,
      status: 'skip',
      detail: `${path.service} has no network path to check`,
      evidence: { path: 'none' },
    };
  }
  if (!path.destination && path.evidence.ipv6Only === true) {
    return {
      service: path.service,
      status: 'unknown',
      detail: `the instance is in an IPv6-only subnet, whose IPv6 rules are not evaluated here: verify TCP 443 to ${path.hostname} over IPv6 (::/0 or the endpoint's IPv6 addresses)`,
      evidence: { path: path.path, ipv6Only: true },
    };
  }
  if (!path.destination) {
    return {
      service: path.service,
      status: 'unknown',
      detail: `the network path to ${path.hostname} is not known`,
      evidence: { path: path.path },
    };
  }
  return undefined;
}

// A summary stays one sentence: the rest of the findings are in the evidence.
const MAX_CLAUSES = 2;
const SEVERITY: readonly CheckStatus[] = ['fail', 'unknown', 'warn', 'pass', 'skip'];

export function combineOutcomes(
  id: string,
  cause: CauseCode,
  outcomes: readonly ServiceOutcome[],
  whenAllSkipped: string,
): CheckResult {
  const status =
    SEVERITY.find((candidate) => outcomes.some((outcome) => outcome.status === candidate)) ?? 'skip';
  const evidence = {
    services: Object.fromEntries(outcomes.map((o) => [o.service, { status: o.status, ...o.evidence }])),
  };
  if (status === 'skip') return result.skip(id, whenAllSkipped, evidence);
  const summary = summarise(outcomes.filter((outcome) => outcome.status === status));
  const nextSteps = [
    ...new Set(
      outcomes.filter((o) => o.status !== 'pass' && o.status !== 'skip').flatMap((o) => o.nextSteps ?? []),
    ),
  ];
  switch (status) {
    case 'fail': {
      // Blocking only when the failure is on the ssm path; on the messaging paths alone it degrades.
      const failed = result.fail(id, cause, summary, evidence, nextSteps);
      const blocks = outcomes.some((o) => o.status === 'fail' && blocksRegistration(o.service));
      return blocks ? failed : result.degrading(failed);
    }
    case 'warn':
      return result.warn(id, summary, evidence, nextSteps.length > 0 ? nextSteps : undefined);
    case 'unknown': {
      const unknown = result.unknown(id, summary, evidence);
      return nextSteps.length > 0 ? { ...unknown, nextSteps } : unknown;
    }
    default:
      return result.pass(id, summary, evidence);
  }
}

/** "Clause one (for ssm and ec2messages); clause two (for ssmmessages); and 1 more (see evidence)." */
function summarise(outcomes: readonly ServiceOutcome[]): string {
  const byDetail = new Map<string, SsmService[]>();
  for (const outcome of outcomes)
    byDetail.set(outcome.detail, [...(byDetail.get(outcome.detail) ?? []), outcome.service]);
  const clauses = [...byDetail].map(([detail, services]) => `${detail} (for ${joinNames(services)})`);
  const shown = clauses.slice(0, MAX_CLAUSES).join('; ');
  const more = clauses.length - MAX_CLAUSES;
  return `${capital(shown)}${more > 0 ? `; and ${more} more (see evidence)` : ''}.`;
}
