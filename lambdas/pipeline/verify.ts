/**
 * After fixes: did the instances come back? Polls SSM for the fixed instances until each is
 * `Online` or the wait is over. An instance that is not back yet is not a failure: the agent
 * backs off up to an hour, so the finding says so and how to hurry it. The sleep and the clock
 * are injected so tests never wait, and a Lambda stage (which waits in Step Functions instead)
 * calls it with `waitSeconds: 0` for a single read.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readOnline } from '../aws/inventory.ts';
import { describeProblem } from '../engine/readout.ts';
import { unverifiableStep, waitingForAgentStep } from '../engine/remediation/verification.ts';
import type { Finding } from '../engine/report-model.ts';

export interface VerifyOptions {
  /** How long to keep polling; 0 = read once. */
  waitSeconds: number;
  /** Between polls (default 15 s, never past the deadline). */
  pollSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** What verifying reads of a finding (the workflow's Verify has no more than this). */
export type VerifiableFinding = Pick<Finding, 'instanceId' | 'remediations' | 'nextSteps'> & {
  instance: Pick<Finding['instance'], 'platform'>;
};

export interface VerifyResult<F extends VerifiableFinding = Finding> {
  findings: F[];
  /** Fixed instances SSM lists as Online. */
  online: string[];
  /** Fixed instances not Online by the end of the wait. */
  waiting: string[];
}

/** Instances with a fix applied, including those whose shared role was changed for another finding. */
export function fixedInstanceIds(findings: readonly VerifiableFinding[]): string[] {
  return findings.filter((f) => f.remediations.some((r) => r.status === 'applied')).map((f) => f.instanceId);
}

export async function verifyFixes<F extends VerifiableFinding>(
  ssm: SSMClient,
  findings: readonly F[],
  options: VerifyOptions,
): Promise<VerifyResult<F>> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = now().getTime();
  // Time spent is what the clock says or what was slept, whichever is more: a frozen clock
  // (a world file's fixed `now`) must not keep the loop polling for ever.
  let slept = 0;
  const onlineAt = new Map<string, string>();
  let pending = fixedInstanceIds(findings);
  let problem: string | undefined;
  while (pending.length) {
    const read = await readOnline(ssm, pending);
    problem = read.ok ? undefined : describeProblem(read.problem);
    if (read.ok) for (const id of read.value) onlineAt.set(id, now().toISOString());
    pending = pending.filter((id) => !onlineAt.has(id));
    const left = options.waitSeconds * 1000 - Math.max(now().getTime() - start, slept);
    if (!pending.length || left <= 0) break;
    const pause = Math.min((options.pollSeconds ?? 15) * 1000, left);
    await sleep(pause);
    slept += pause;
  }
  const result = findings.map((finding) => {
    const at = onlineAt.get(finding.instanceId);
    if (at) return markVerified(finding, at);
    if (!pending.includes(finding.instanceId)) return finding;
    const applied = finding.remediations.filter((r) => r.status === 'applied');
    const appliedAt = applied
      .flatMap((r) => (r.record?.at ? [r.record.at] : []))
      .sort()
      .at(-1);
    const step = problem
      ? unverifiableStep(problem)
      : waitingForAgentStep(finding.instance.platform, {
          fixes: applied.map((r) => r.id),
          ...(appliedAt ? { appliedAt } : {}),
        });
    return { ...finding, nextSteps: [step, ...finding.nextSteps] };
  });
  return { findings: result, online: [...onlineAt.keys()], waiting: pending };
}

function markVerified<F extends VerifiableFinding>(finding: F, at: string): F {
  return {
    ...finding,
    remediations: finding.remediations.map((r) =>
      r.status === 'applied' ? { ...r, status: 'verified', record: { at, ...r.record, verifiedAt: at } } : r,
    ),
  };
}
