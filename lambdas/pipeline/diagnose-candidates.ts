/**
 * Facts → findings for a batch of candidates, in two rounds: every check from the outside first,
 * then console output (one call per instance) only for the instances those checks could not
 * explain, where boot failures or a crashing agent are the likely story.
 */

import type { EC2Client } from '@aws-sdk/client-ec2';
import { factsOf, type SharedFacts } from '../aws/collect.ts';
import { readConsoleOutputs } from '../aws/instance.ts';
import type { RootCause } from '../engine/causes.ts';
import { diagnose } from '../engine/diagnose.ts';
import type { Candidate, DhmcPicture } from '../engine/facts.ts';
import type { Readout } from '../engine/readout.ts';
import { type PlanSubject, planSubjectOf } from '../engine/remediation/plan.ts';
import type { Finding } from '../engine/report-model.ts';
import type { RunContext } from '../engine/run-context.ts';

const CONSOLE_WORTHY: ReadonlySet<RootCause> = new Set([
  'UNKNOWN',
  'INSTANCE_STATUS_IMPAIRED',
  'AGENT_NOT_PREINSTALLED',
]);

export interface DiagnosedBatch {
  findings: Finding[];
  subjects: PlanSubject[];
}

/** `shared`: what the candidates share, collected beforehand (`collectSharedFacts`), at least their slice. */
export async function diagnoseCandidates(
  ec2: EC2Client,
  run: RunContext,
  candidates: readonly Candidate[],
  shared: SharedFacts,
  dhmc: Readout<DhmcPicture>,
): Promise<DiagnosedBatch> {
  const facts = factsOf(shared, run, candidates, dhmc);
  const findings = facts.map((f) => diagnose(f));
  const unexplained = findings.filter((f) => CONSOLE_WORTHY.has(f.rootCause)).map((f) => f.instanceId);
  if (unexplained.length) {
    const typeOf = new Map(candidates.map((c) => [c.instance.InstanceId, c.instance.InstanceType]));
    const outputs = await readConsoleOutputs(ec2, unexplained, (id) => typeOf.get(id));
    facts.forEach((f, i) => {
      const output = outputs.get(f.candidate.instance.InstanceId ?? '');
      if (!output) return;
      f.consoleOutput = output.text;
      f.consoleBuffer = {
        latest: output.latest,
        ...(output.timestamp ? { timestamp: output.timestamp } : {}),
      };
      findings[i] = diagnose(f);
    });
  }
  return { findings, subjects: facts.map((f, i) => planSubjectOf(f, findings[i] as Finding)) };
}
