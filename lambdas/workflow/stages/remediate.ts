/**
 * `Plan and apply fixes`: plan across the whole run (so the cap holds for the run, not per
 * batch), honour the ledger's cooldown, apply when the mode is `on`, and store the outcomes.
 *
 * The table is not trusted to decide a change: the settings are read again from SSM (a forged
 * META cannot switch the mode on), the roles are assessed now (who uses them, may they change),
 * and each action re-reads what it depends on right before its write. The run's findings objects
 * only say which instances were diagnosed and with which causes.
 */

import { ownExecutionHold } from '../../aws/remediate.ts';
import { assessRoles } from '../../aws/role-assessment.ts';
import { readRunSettings } from '../../aws/settings.ts';
import { circuitBreakerOf } from '../../engine/remediation/circuit-breaker.ts';
import { type PlanSubject, planRemediations, rolesToAssess } from '../../engine/remediation/plan.ts';
import type { Finding, Remediation } from '../../engine/report-model.ts';
import { applyPlan } from '../../pipeline/apply.ts';
import { fromOutcome } from '../../pipeline/journal.ts';
import type { RemediateInput, RemediateOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { changesOf, readJournal, TableJournal } from '../journal.ts';
import { coolingDownFrom, type LedgerEntry } from '../ledger.ts';
import type { RunMeta } from '../run-data.ts';
import { batchOutcomes, findingPages, type RemediationsObject } from '../run-findings.ts';
import { REMEDIATIONS_OBJECT, WorkObjects } from '../work-objects.ts';

/** The message of the one log line per change. */
export const CHANGE_LOG_MESSAGE = 'ssm-doctor change';

export async function remediateRun(
  deps: StageDeps<'remediate'>,
  input: RemediateInput,
): Promise<RemediateOutput> {
  // Act only on what is real now: every write first confirms this run's own execution (held otherwise).
  const beforeEachWrite = ownExecutionCheck(deps, input);
  const meta = await deps.store.getRunItem<RunMeta>(input.runId, 'META');
  const { settings } = await readRunSettings(deps.clients.ssm, deps.env.SETTINGS_PREFIX);
  const work = new WorkObjects(deps.clients.s3, deps.env.REPORT_BUCKET, input.runId);
  // A batch of full findings at a time: only what planning and applying use is kept.
  const subjects: PlanSubject[] = [];
  const findings: Finding[] = [];
  const { done } = await batchOutcomes(deps.store, meta);
  for await (const page of findingPages(work, done)) {
    for (const item of page) {
      subjects.push(item.subject);
      findings.push({ ...item.finding, checks: [], nextSteps: [] });
    }
  }
  const now = deps.clock();
  const ledger = await deps.store.getLedger<LedgerEntry>(findings.map((f) => f.instanceId));
  const ownProfile = deps.env.REMEDIATION_INSTANCE_PROFILE_NAME;
  const roles =
    settings.remediationMode === 'off'
      ? new Map()
      : await assessRoles(deps.clients, rolesToAssess(subjects), { ownProfile });
  // Compared with the open problems the last run left: none before the first run.
  const openBefore = (await deps.store.lastReportedRun()) ? await deps.store.openProblemIds() : undefined;
  const breaker = circuitBreakerOf(
    findings.map((f) => f.instanceId),
    openBefore,
    settings.circuitBreakerThreshold,
  );
  const circuitOpen = breaker.open && settings.remediationMode !== 'off';
  const plans = planRemediations(subjects, {
    settings,
    roles,
    coolingDown: coolingDownFrom(ledger, now),
    circuitOpen,
  });
  // A retried stage resumes from the journal, not from a fresh plan: a change this run already made
  // reads as "would not help" or "already fixed" to a planner that sees the world after it.
  const made = await changesMadeByThisRun(deps, input.runId);
  const planned = findings.map((finding) => ({
    ...finding,
    remediations: (plans.get(finding.instanceId) ?? []).map((r) =>
      resumeFromJournal(r, finding.instanceId, made),
    ),
  }));
  const applied = await applyPlan(deps.clients, planned, {
    settings,
    partition: meta.identity.partition,
    instanceProfile: ownProfile,
    // One structured line per change (README "Safety" has the Logs Insights query that finds them).
    log: (entry) => deps.log(CHANGE_LOG_MESSAGE, { runId: input.runId, ...entry }),
    now: deps.clock,
    // Journal hook: intent before each write, outcome after; a retried stage resumes from it.
    journal: new TableJournal(deps.store.client, deps.store.tableName, input.runId),
    beforeEachWrite,
  });
  const byInstance: RemediationsObject['byInstance'] = {};
  for (const finding of applied.findings) {
    if (finding.remediations.length)
      byInstance[finding.instanceId] = {
        remediations: finding.remediations,
        platform: finding.instance.platform,
      };
  }
  // One object for the run, written once, whatever the mode.
  await work.put(REMEDIATIONS_OBJECT, {
    byInstance,
    ...(circuitOpen && breaker.error ? { errors: [breaker.error] } : {}),
  } satisfies RemediationsObject);
  const { counts } = applied;
  return { planned: counts.planned, applied: counts.applied, failed: counts.failed };
}

/**
 * The hold asked before each write: the execution the state machine named in the input must be
 * RUNNING, of `STATE_MACHINE_ARN`, and named after the run (aws/remediate.ts `ownExecutionHold`).
 */
function ownExecutionCheck(deps: StageDeps<'remediate'>, input: RemediateInput) {
  const own = {
    executionArn: input.executionArn,
    stateMachineArn: deps.env.STATE_MACHINE_ARN,
    runId: input.runId,
  };
  return () => ownExecutionHold(deps.clients.sfn, own);
}

type MadeChange = ReturnType<typeof changesOf>[number];

/** What this run's journal records as applied, or begun (an intent with no outcome), by fix and target. */
async function changesMadeByThisRun(
  deps: StageDeps<'remediate'>,
  runId: string,
): Promise<Map<string, MadeChange>> {
  const lines = await readJournal(deps.store.client, deps.store.tableName, runId);
  const made = new Map<string, MadeChange>();
  for (const change of changesOf(lines)) {
    if (change.event === 'intent' || change.status === 'applied')
      made.set(`${change.fix}#${change.target}`, change);
  }
  return made;
}

/**
 * A remediation the fresh plan skips although this run made (or began) that change: the instance
 * it was made for takes the journalled outcome, or is planned again so the applier re-reads it,
 * finds it made and journals it as this run's; another instance sharing the change is covered by it.
 */
function resumeFromJournal(
  remediation: Remediation,
  instanceId: string,
  made: ReadonlyMap<string, MadeChange>,
): Remediation {
  const change = made.get(`${remediation.id}#${remediation.target}`);
  if (!change || remediation.status !== 'skipped') return remediation;
  const { reason: _skipped, ...rest } = remediation;
  if (change.instanceId === instanceId) {
    return change.event === 'outcome'
      ? fromOutcome(remediation, change)
      : { ...rest, status: 'planned', reason: 'resuming this run' };
  }
  return {
    ...rest,
    status: 'planned',
    reason: `same change as for ${change.instanceId}`,
    coveredBy: change.instanceId,
  };
}
