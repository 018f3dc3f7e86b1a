/**
 * One finding from one candidate's facts: run every check, collect the causes of the failures in
 * catalog order, and gather the next steps. Pure; remediations are planned afterwards.
 */
import { rootCauseOf, sortCauses } from './causes.ts';
import type { Check, CheckResult } from './check.ts';
import { ALL_CHECKS } from './checks/index.ts';
import { pasteableAclEntries } from './checks/network/fix-commands.ts';
import type { InstanceFacts } from './facts.ts';
import { genericNextSteps } from './next-steps.ts';
import { nameOf, platformOf } from './platform.ts';
import type { Finding } from './report-model.ts';
import { unreadableReads, unreadableStep } from './unreadable.ts';

export function diagnose(facts: InstanceFacts, checks: readonly Check[] = ALL_CHECKS): Finding {
  const results = checks.flatMap((check) => evaluateSafely(check, facts));
  const failed = (degrading: boolean) =>
    results.flatMap((r) =>
      r.status === 'fail' && r.cause && (r.degrading === true) === degrading ? [r.cause] : [],
    );
  const causes = sortCauses(failed(false));
  // A code that blocks somewhere is a cause; it is listed as a degradation only when it blocks nowhere.
  const degradations = sortCauses(failed(true)).filter((code) => !causes.includes(code));
  const rootCause = rootCauseOf(causes);
  const { candidate, partition, region } = facts;
  const { instance, information } = candidate;
  const instanceId = instance.InstanceId ?? '';
  const platform = platformOf(candidate);
  const acls = facts.network.networkAcls.ok ? facts.network.networkAcls.value : [];
  // One free rule number per new ACL entry, in the check's own steps and in the finding's.
  for (const r of results) if (r.nextSteps) r.nextSteps = pasteableAclEntries(r.nextSteps, acls);
  const specific = results.flatMap((r) =>
    r.status === 'fail' || r.status === 'warn' ? (r.nextSteps ?? []) : [],
  );
  // What could not be read is said first when nothing else explains the instance.
  const unreadable = unreadableReads(facts);
  const readStep = unreadableStep(unreadable);
  const uncertain = unreadable.length > 0 || results.some((r) => r.status === 'unknown');
  return {
    instanceId,
    name: nameOf(candidate),
    ssmStatus: candidate.ssmStatus,
    rootCause,
    causes,
    degradations,
    checks: results,
    remediations: [],
    nextSteps: [
      ...new Set([
        ...(readStep && rootCause === 'UNKNOWN' ? [readStep] : []),
        ...specific,
        ...(readStep && rootCause !== 'UNKNOWN' ? [readStep] : []),
        ...genericNextSteps(rootCause, platform, partition, region, instanceId, !uncertain),
      ]),
    ],
    ...(unreadable.length ? { unreadable } : {}),
    instance: {
      platform,
      ...(instance.VpcId ? { vpcId: instance.VpcId } : {}),
      ...(instance.SubnetId ? { subnetId: instance.SubnetId } : {}),
      ...(instance.PrivateIpAddress ? { privateIpAddress: instance.PrivateIpAddress } : {}),
      ...(instance.IamInstanceProfile?.Arn ? { instanceProfileArn: instance.IamInstanceProfile.Arn } : {}),
      ...(instance.LaunchTime ? { launchTime: new Date(instance.LaunchTime).toISOString() } : {}),
      ...(information?.AgentVersion ? { agentVersion: information.AgentVersion } : {}),
      ...(information?.LastPingDateTime
        ? { lastPingDateTime: new Date(information.LastPingDateTime).toISOString() }
        : {}),
    },
  };
}

/**
 * A check that throws is a bug in that check, not in the instance: it becomes `unknown` for this
 * finding, and the others still answer.
 */
function evaluateSafely(check: Check, facts: InstanceFacts): CheckResult[] {
  try {
    const outcome = check.evaluate(facts);
    return Array.isArray(outcome) ? outcome : [outcome];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        id: check.id,
        status: 'unknown',
        summary: `The check could not be evaluated: ${message}`,
        evidence: { error: message },
      },
    ];
  }
}
