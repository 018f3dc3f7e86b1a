/**
 * `Verify`: the workflow already waited (`Wait for agents`), so one read of SSM says which fixed
 * instances came back; the rest are followed up by later runs through the ledger. It works from
 * the run's remediations alone (no findings are read) and hands on only the findings it changed.
 */
import { fixedInstanceIds, type VerifiableFinding, verifyFixes } from '../../pipeline/verify.ts';
import type { VerifyInput, VerifyOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import type { RemediationsObject, VerificationObject } from '../run-findings.ts';
import { VERIFIED_ITEM } from '../store.ts';
import { REMEDIATIONS_OBJECT, VERIFICATION_OBJECT, WorkObjects } from '../work-objects.ts';

export async function verifyRun(deps: StageDeps<'verify'>, input: VerifyInput): Promise<VerifyOutput> {
  const work = new WorkObjects(deps.clients.s3, deps.env.REPORT_BUCKET, input.runId);
  const { byInstance } = await work.get<RemediationsObject>(REMEDIATIONS_OBJECT);
  const findings: VerifiableFinding[] = Object.entries(byInstance).map(([instanceId, entry]) => ({
    instanceId,
    remediations: entry.remediations,
    nextSteps: [],
    instance: { platform: entry.platform },
  }));
  const fixed = new Set(fixedInstanceIds(findings));
  if (!fixed.size) return { verified: 0, waiting: 0 };
  const result = await verifyFixes(deps.clients.ssm, findings, { waitSeconds: 0, now: deps.clock });
  const verified: VerificationObject['byInstance'] = {};
  for (const finding of result.findings) {
    if (!fixed.has(finding.instanceId)) continue;
    const [nextStep] = finding.nextSteps;
    verified[finding.instanceId] = { remediations: finding.remediations, ...(nextStep ? { nextStep } : {}) };
  }
  await work.put(VERIFICATION_OBJECT, { byInstance: verified } satisfies VerificationObject);
  // Report reads the object only when this says it is there (Verify does not run every time).
  await deps.store.putRunItem(input.runId, VERIFIED_ITEM, { instances: fixed.size });
  return { verified: result.online.length, waiting: result.waiting.length };
}
