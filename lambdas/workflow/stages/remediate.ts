/**
 * `Plan and apply fixes`: plan across the whole run (so the cap holds for the run, not per
 * batch), honour the ledger's cooldown, apply when the mode is `on`, and store the outcomes.
 *
 * The table is not trusted to decide a change: the settings are read again from SSM (a forged
 * META cannot switch the mode on), the roles are assessed now (who uses them, may they change),
 * and each action re-reads what it depends on right before its write. The table only says which
 * instances were diagnosed and with which causes.
 */

import { assessRoles } from '../../aws/role-assessment.ts';
import { readSettings } from '../../aws/settings.ts';
import { type PlanSubject, planRemediations, rolesToAssess } from '../../engine/remediation/plan.ts';
import { applyPlan } from '../../pipeline/apply.ts';
import type { RemediateInput, RemediateOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import { coolingDownFrom, type LedgerEntry } from '../ledger.ts';
import type { FindingItem, RunMeta } from '../run-data.ts';

export async function remediateRun(
  deps: StageDeps<'remediate'>,
  input: RemediateInput,
): Promise<RemediateOutput> {
  const meta = await deps.store.getRunItem<RunMeta>(input.runId, 'META');
  const { settings } = await readSettings(deps.clients.ssm, deps.env.SETTINGS_PREFIX);
  const items = await deps.store.queryRunItems<FindingItem>(input.runId, 'FINDING#');
  const now = deps.clock();
  const ledger = await deps.store.getLedger<LedgerEntry>(items.map((item) => item.finding.instanceId));
  const subjects = items.map((item) => item.subject);
  const ownProfile = deps.env.REMEDIATION_INSTANCE_PROFILE_NAME;
  const roles =
    settings.remediationMode === 'off'
      ? new Map()
      : await assessRoles(deps.clients, rolesToAssess(subjects), { ownProfile });
  const plans = planRemediations(subjects, { settings, roles, coolingDown: coolingDownFrom(ledger, now) });
  const planned = items.map((item) => ({
    ...item.finding,
    remediations: plans.get(item.finding.instanceId) ?? [],
  }));
  const { findings, counts } = await applyPlan(deps.clients, planned, {
    settings,
    partition: meta.identity.partition,
    instanceProfile: ownProfile,
    log: (entry) => deps.log('Remediation', entry),
    now: deps.clock,
  });
  const bySubject = new Map(items.map((item) => [item.finding.instanceId, item.subject]));
  await deps.store.putFindings(
    input.runId,
    findings.map((finding) => ({ finding, subject: bySubject.get(finding.instanceId) as PlanSubject })),
  );
  return { planned: counts.planned, applied: counts.applied, failed: counts.failed };
}
