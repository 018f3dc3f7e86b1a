/**
 * The whole job in one process (the CLI's `scan`): inventory, discovery, diagnosis, planning and
 * the report. The deployed workflow runs the same steps as separate stages.
 */

import type { Instance } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.ts';
import { collectSharedFacts, readRunDhmc } from '../aws/collect.ts';
import { type Inventory, readInventory } from '../aws/inventory.ts';
import { assessRoles } from '../aws/role-assessment.ts';
import { discover } from '../engine/discovery.ts';
import { type PlanContext, planRemediations, rolesToAssess } from '../engine/remediation/plan.ts';
import { buildReport } from '../engine/report.ts';
import type { Report, RunError } from '../engine/report-model.ts';
import type { RunContext } from '../engine/run-context.ts';
import { unreadableErrors } from '../engine/unreadable.ts';
import { diagnoseCandidates } from './diagnose-candidates.ts';

export interface ScanOptions {
  /** Limit the scan to these instances (CLI `--instance`). */
  instanceIds?: string[];
  /** Run-level problems found before the scan (e.g. invalid settings). */
  errors?: RunError[];
  coolingDown?: PlanContext['coolingDown'];
  /** Judge only the instances this keeps (CLI `--vpc`, `--tag`); the summary counts only them. */
  filter?: (instance: Instance) => boolean;
  /** Where a person watching sees how far the scan got (CLI: stderr on a terminal). */
  progress?: (message: string) => void;
  /** The inventory as read, for callers that explain what was not judged (CLI `--instance`). */
  onInventory?: (inventory: Inventory) => void;
  /** The profile `attach-instance-profile` associates (CLI `--instance-profile`): its role is never changed. */
  ownProfile?: string;
}

export async function scan(clients: AwsClients, run: RunContext, options: ScanOptions = {}): Promise<Report> {
  options.progress?.('Reading the EC2 and SSM inventories…');
  const inventory = await readInventory(clients, options.instanceIds);
  options.onInventory?.(inventory);
  const { filter } = options;
  const { candidates, summary, ignored, errors } = discover(
    filter ? inventory.instances.filter(filter) : inventory.instances,
    inventory.registrations,
    run.settings,
    run.now,
  );
  options.progress?.(`${summary.runningInstances} running instances, ${candidates.length} to diagnose…`);
  const { findings, subjects } = candidates.length
    ? await Promise.all([collectSharedFacts(clients, run, candidates), readRunDhmc(clients)]).then(
        ([shared, dhmc]) => diagnoseCandidates(clients.ec2, run, candidates, shared, dhmc),
      )
    : { findings: [], subjects: [] };
  // Who a role change reaches is read per role (every profile that holds it, every instance of
  // those), so a scan of chosen instances plans against the whole region too. Mode off plans nothing.
  const roles =
    run.settings.remediationMode === 'off'
      ? new Map()
      : await assessRoles(clients, rolesToAssess(subjects), {
          ...(options.ownProfile ? { ownProfile: options.ownProfile } : {}),
        });
  const plans = planRemediations(subjects, {
    settings: run.settings,
    roles,
    ...(options.coolingDown ? { coolingDown: options.coolingDown } : {}),
  });
  for (const finding of findings) finding.remediations = plans.get(finding.instanceId) ?? [];
  return buildReport({
    accountId: run.accountId,
    region: run.region,
    generatedAt: run.now,
    settings: run.settings,
    summary,
    findings,
    ignored,
    errors: [...(options.errors ?? []), ...inventory.errors, ...errors, ...unreadableErrors(findings)],
  });
}
