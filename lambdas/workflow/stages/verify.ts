/**
 * `Verify`: the workflow already waited (`Wait for agents`), so one read of SSM says which fixed
 * instances came back; the rest are followed up by later runs through the ledger.
 */
import type { PlanSubject } from '../../engine/remediation/plan.ts';
import { fixedInstanceIds, verifyFixes } from '../../pipeline/verify.ts';
import type { VerifyInput, VerifyOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import type { FindingItem } from '../run-data.ts';

export async function verifyRun(deps: StageDeps<'verify'>, input: VerifyInput): Promise<VerifyOutput> {
  const items = await deps.store.queryRunItems<FindingItem>(input.runId, 'FINDING#');
  const findings = items.map((item) => item.finding);
  const fixed = new Set(fixedInstanceIds(findings));
  if (!fixed.size) return { verified: 0, waiting: 0 };
  const result = await verifyFixes(deps.clients.ssm, findings, { waitSeconds: 0, now: deps.clock });
  const subjects = new Map(items.map((item) => [item.finding.instanceId, item.subject]));
  await deps.store.putFindings(
    input.runId,
    result.findings
      .filter((finding) => fixed.has(finding.instanceId))
      .map((finding) => ({ finding, subject: subjects.get(finding.instanceId) as PlanSubject })),
  );
  return { verified: result.online.length, waiting: result.waiting.length };
}
