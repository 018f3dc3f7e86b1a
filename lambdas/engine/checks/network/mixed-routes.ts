/** When the routes covering 0.0.0.0/0 do not agree: the working one is the path, the others detours. */
import type { Route } from '@aws-sdk/client-ec2';
import type { InternetPath } from './path-types.ts';
import { routeKindOf } from './routes.ts';

/**
 * The covering routes lead to different outcomes (or leave public blocks uncovered): a working
 * one is the path, the rest are detours a person must verify; with none working, the first
 * unknown or the first blocked one speaks.
 */
export function mixed(
  outcomes: { group: Route[]; outcome: InternetPath }[],
  gaps: string[],
  where: string,
): InternetPath {
  const others = (except: Route[]) => [
    ...outcomes
      .filter((o) => o.group !== except)
      .flatMap((o) =>
        o.group.map((r) => ({
          destination: r.DestinationCidrBlock ?? '',
          targetId: routeKindOf(r).targetId,
        })),
      ),
    ...gaps.map((gap) => ({ destination: gap, targetId: 'no route' })),
  ];
  const ok = outcomes.find((o) => o.outcome.status === 'ok');
  if (ok) {
    const detours = [...(ok.outcome.detours ?? []), ...others(ok.group)];
    return {
      ...ok.outcome,
      detail: `${ok.outcome.detail}; the other routes covering 0.0.0.0/0 in ${where} lead elsewhere`,
      detours,
      evidence: { ...ok.outcome.evidence, moreSpecificRoutes: detours },
    };
  }
  const chosen = outcomes.find((o) => o.outcome.status === 'unknown') ?? outcomes[0];
  return chosen ? chosen.outcome : { status: 'unknown', detail: where, towardsInternet: false, evidence: {} };
}
