/**
 * `Diagnose batch`: re-read the batch's instances (one that stopped or vanished since discovery
 * drops out), collect their facts once for the batch, diagnose, and store the findings.
 */
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { readRunningInstances } from '../../aws/inventory.ts';
import type { Candidate } from '../../engine/facts.ts';
import type { PlanSubject } from '../../engine/remediation/plan.ts';
import { diagnoseCandidates } from '../../pipeline/diagnose-candidates.ts';
import type { DiagnoseBatchInput, DiagnoseBatchOutput } from '../contract.ts';
import type { StageDeps } from '../deps.ts';
import type { BatchItem, RunMeta } from '../run-data.ts';
import { batchKey } from '../store.ts';

export async function diagnoseBatch(
  deps: StageDeps<'diagnose-batch'>,
  input: DiagnoseBatchInput,
): Promise<DiagnoseBatchOutput> {
  const meta = await deps.store.getRunItem<RunMeta>(input.runId, 'META');
  // Start run reads DHMC once for the whole run, and only writes batches when there are candidates.
  if (!meta.dhmc)
    throw new Error(`Run ${input.runId} has batches but no DHMC picture: Start run did not finish.`);
  const dhmc = meta.dhmc;
  const batch = await deps.store.getRunItem<BatchItem>(input.runId, batchKey(input.batchIndex));
  const instances = await readRunningInstances(
    deps.clients,
    batch.candidates.map((c) => c.instanceId),
  );
  const byId = new Map(instances.map((instance) => [instance.InstanceId, instance]));
  const candidates: Candidate[] = [];
  for (const ref of batch.candidates) {
    const instance = byId.get(ref.instanceId);
    if (!instance) {
      deps.log('Candidate no longer running: dropped from this run', {
        runId: input.runId,
        instanceId: ref.instanceId,
      });
      continue;
    }
    candidates.push({
      instance,
      ssmStatus: ref.ssmStatus,
      ...(ref.information ? { information: ref.information as InstanceInformation } : {}),
    });
  }
  const run = { ...meta.identity, region: meta.region, now: deps.clock(), settings: meta.settings };
  const { findings, subjects } = await diagnoseCandidates(deps.clients, run, candidates, dhmc);
  await deps.store.putFindings(
    input.runId,
    findings.map((finding, i) => ({ finding, subject: subjects[i] as PlanSubject })),
  );
  return { batchIndex: input.batchIndex, findings: findings.length };
}
