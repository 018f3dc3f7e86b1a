/**
 * Applying a plan: walks the findings in order and turns each `planned` remediation into
 * `applied`, `failed` or `skipped` after the re-read in aws/remediate.ts. It never decides
 * anything planning did not (mode, opt-out, toggles, cap, which fix, which target), and never
 * makes more changes than were planned: a remediation covered by another finding's takes that
 * one's outcome instead of acting again. Free of CLI and Lambda concerns: both call it.
 */

import type { AwsClients } from '../aws/clients.ts';
import { ACTIONS, type ActionContext, type ActionResult, type WriteHold } from '../aws/remediate.ts';
import { FIXES } from '../engine/remediation/fixes.ts';
import {
  countRemediations,
  coveringRemediation,
  type RemediationCounts,
  takeOutcome,
} from '../engine/remediation/outcomes.ts';
import type { Finding, Remediation } from '../engine/report-model.ts';
import type { Settings } from '../engine/settings.ts';
import { type ChangeJournal, fromOutcome, outcomeLine, resumedRemediation } from './journal.ts';

/** One structured log entry per fix acted on; the CLI writes JSON lines to stderr, Lambda a Powertools Logger. */
export type RemediationLog = (entry: Record<string, unknown>) => void;

export interface ApplyOptions {
  settings: Pick<Settings, 'remediationMode' | 'maxRemediationsPerRun' | 'imdsV1LookbackDays'>;
  partition: string;
  /** The profile `attach-instance-profile` associates: a name or an ARN. */
  instanceProfile?: string;
  log?: RemediationLog;
  /** The clock for records; the simulated account's in tests and `--world` runs. */
  now?: () => Date;
  /** Where each change is journaled: intent before the write, outcome after (pipeline/journal.ts). */
  journal?: ChangeJournal;
  /**
   * Asked right before each write (the workflow: is the run's own execution still running on this
   * stack's state machine). A hold skips that change with its reason, and nothing is written or
   * journalled for it. The CLI has no execution and passes none.
   */
  beforeEachWrite?: () => Promise<WriteHold | undefined>;
}

export interface ApplyResult {
  findings: Finding[];
  counts: RemediationCounts;
}

export async function applyPlan(
  clients: Pick<AwsClients, 'ec2' | 'iam' | 'cloudwatch'>,
  findings: readonly Finding[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  // Only `on` writes; a dry-run or off plan passed here by mistake comes back unchanged.
  if (options.settings.remediationMode !== 'on') {
    return { findings: [...findings], counts: countRemediations(findings) };
  }
  const now = options.now ?? (() => new Date());
  const result = findings.map((f) => ({ ...f, remediations: [...f.remediations] }));
  let writes = 0;
  // First the changes themselves, in plan order (instance id); then the findings that share them.
  for (const finding of [...result].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))) {
    finding.remediations = await mapSequentially(finding.remediations, async (remediation) => {
      if (remediation.status !== 'planned' || remediation.coveredBy) return remediation;
      // Belt and braces: planning already capped the run; the applier holds the same line.
      if (writes >= options.settings.maxRemediationsPerRun) {
        return { ...remediation, status: 'skipped', reason: 'cap-reached' };
      }
      const at = now().toISOString();
      const hold = await options.beforeEachWrite?.();
      if (hold) {
        const { reason: _planned, ...rest } = remediation;
        const held: Remediation = {
          ...rest,
          status: 'skipped',
          reason: hold.reason,
          record: { at, operation: FIXES[remediation.id].operation, message: hold.message },
        };
        options.log?.(logEntry(finding, held));
        return held;
      }
      const key = { fix: remediation.id, instanceId: finding.instanceId, target: remediation.target };
      // Journal hook: the intent is recorded before the write, and an outcome already recorded by
      // an earlier attempt of this run is taken as is (the change is this run's, not "already fixed").
      const prior = await options.journal?.intent({ event: 'intent', ...key, at });
      if (prior?.outcome) {
        const resumed = fromOutcome(remediation, prior.outcome);
        if (resumed.status === 'applied') writes++;
        return resumed;
      }
      const outcome = await act(clients, finding, remediation, options, at);
      const made = toRemediation(remediation, outcome);
      const applied = resumedRemediation(made, prior?.existed ?? false);
      if (applied.status === 'applied') writes++;
      await options.journal?.outcome({
        ...outcomeLine(key, applied, at),
        ...(applied !== made ? { resumed: true } : {}),
      });
      options.log?.(logEntry(finding, applied));
      return applied;
    });
  }
  for (const finding of result) {
    finding.remediations = finding.remediations.map((remediation) => {
      if (remediation.status !== 'planned' || !remediation.coveredBy) return remediation;
      const outcome = coveringRemediation(result, remediation);
      return outcome ? takeOutcome(remediation, outcome) : remediation;
    });
  }
  return { findings: result, counts: countRemediations(result) };
}

/**
 * The one place a write happens: each planned change goes through its fix's action (re-read, then
 * write), so a journal can wrap this call.
 */
function act(
  clients: Pick<AwsClients, 'ec2' | 'iam' | 'cloudwatch'>,
  finding: Finding,
  remediation: Remediation,
  options: ApplyOptions,
  at: string,
): Promise<ActionResult> {
  const context: ActionContext = { ec2: clients.ec2, iam: clients.iam, cloudwatch: clients.cloudwatch, at };
  return ACTIONS[remediation.id](context, {
    instanceId: finding.instanceId,
    target: remediation.target,
    causes: finding.causes,
    ...(finding.instance.instanceProfileArn
      ? { instanceProfileArn: finding.instance.instanceProfileArn }
      : {}),
    partition: options.partition,
    ...(options.instanceProfile ? { instanceProfile: options.instanceProfile } : {}),
    imdsV1LookbackDays: options.settings.imdsV1LookbackDays,
  });
}

function toRemediation(remediation: Remediation, outcome: ActionResult): Remediation {
  const { reason: _planned, ...rest } = remediation;
  return {
    ...rest,
    status: outcome.status,
    ...(outcome.status === 'applied' ? {} : { reason: outcome.reason }),
    record: outcome.record,
  };
}

function logEntry(finding: Finding, remediation: Remediation): Record<string, unknown> {
  const { record } = remediation;
  return {
    message: 'ssm-doctor remediation',
    fix: remediation.id,
    instanceId: finding.instanceId,
    target: remediation.target,
    status: remediation.status,
    ...(remediation.reason ? { reason: remediation.reason } : {}),
    ...(remediation.alsoAffects?.length ? { alsoAffects: remediation.alsoAffects } : {}),
    ...record,
  };
}

async function mapSequentially<T>(items: readonly T[], fn: (item: T) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}
