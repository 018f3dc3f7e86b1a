/**
 * `Plan and apply fixes`: plan across the whole run (so the cap holds for the run, not per
 * batch), honour the ledger's cooldown, apply when the mode is `on`, and store the outcomes.
 */
import { type PlanSubject, planRemediations } from '../../engine/remediation/plan.ts';
import { applyPlan } from '../../pipeline/apply.ts';
import type { RemediateInput, RemediateOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { TableJournal } from '../journal.ts';
import { coolingDownFrom, type LedgerEntry } from '../ledger.ts';
import type { FindingItem, ProfilesItem, RunMeta } from '../run-data.ts';

/** The message of the one log line per change. */
export const CHANGE_LOG_MESSAGE = 'ssm-doctor change';

export async function remediateRun(
  deps: StageDeps<'remediate'>,
  input: RemediateInput,
): Promise<RemediateOutput> {
  const meta = await deps.store.getRunItem<RunMeta>(input.runId, 'META');
  const items = await deps.store.queryRunItems<FindingItem>(input.runId, 'FINDING#');
  const profiles = await deps.store.queryRunItems<ProfilesItem>(input.runId, 'PROFILES#');
  const now = deps.clock();
  const ledger = await deps.store.getLedger<LedgerEntry>(items.map((item) => item.finding.instanceId));
  const plans = planRemediations(
    items.map((item) => item.subject),
    {
      settings: meta.settings,
      instancesByProfile: new Map(profiles.flatMap((item) => Object.entries(item.users))),
      optedOut: new Set(profiles.flatMap((item) => item.optedOut)),
      coolingDown: coolingDownFrom(ledger, now),
    },
  );
  const planned = items.map((item) => ({
    ...item.finding,
    remediations: plans.get(item.finding.instanceId) ?? [],
  }));
  const { findings, counts } = await applyPlan(deps.clients, planned, {
    settings: meta.settings,
    partition: meta.identity.partition,
    instanceProfile: deps.env.REMEDIATION_INSTANCE_PROFILE_NAME,
    // One structured line per change (README "Safety" has the Logs Insights query that finds them).
    log: (entry) => deps.log(CHANGE_LOG_MESSAGE, { runId: input.runId, ...entry }),
    now: deps.clock,
    // Journal hook: intent before each write, outcome after; a retried stage resumes from it.
    journal: new TableJournal(deps.store.client, deps.store.tableName, input.runId),
  });
  const subjects = new Map(items.map((item) => [item.finding.instanceId, item.subject]));
  await deps.store.putFindings(
    input.runId,
    findings.map((finding) => ({ finding, subject: subjects.get(finding.instanceId) as PlanSubject })),
  );
  return { planned: counts.planned, applied: counts.applied, failed: counts.failed };
}
