/**
 * `instance.status`: EC2's own status checks. An impaired system check means the host (AWS's side);
 * an impaired instance check means the OS (ours): either way nothing on the instance can talk.
 */
import type { InstanceStatusSummary } from '@aws-sdk/client-ec2';
import { type Check, type CheckResult, result } from '../../check.ts';
import { describeProblem } from '../../readout.ts';

const ID = 'instance.status';
const PENDING = new Set(['insufficient-data', 'initializing']);

/** Details with their dates as ISO strings, so evidence serialises the same everywhere. */
const details = (summary: InstanceStatusSummary | undefined) =>
  (summary?.Details ?? []).map((d) => ({
    name: d.Name,
    status: d.Status,
    ...(d.ImpairedSince ? { impairedSince: new Date(d.ImpairedSince).toISOString() } : {}),
  }));

export const instanceStatusCheck: Check = {
  id: ID,
  title: 'EC2 system and instance status checks pass',
  reads: ['instanceStatus'],
  evaluate(facts): CheckResult {
    const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
    if (!facts.status.ok)
      return result.unknown(
        ID,
        `Status checks of ${instanceId} could not be read: ${describeProblem(facts.status.problem)}.`,
      );
    const status = facts.status.value;
    // DescribeInstanceStatus omits instances it has nothing to say about; the console shows them as ok.
    if (status === undefined)
      return result.pass(ID, `EC2 reports no status for ${instanceId} (treated as ok).`, { reported: false });

    const checks = {
      system: status.SystemStatus?.Status ?? 'not-reported',
      instance: status.InstanceStatus?.Status ?? 'not-reported',
      ...(status.AttachedEbsStatus?.Status ? { attachedEbs: status.AttachedEbsStatus.Status } : {}),
    };
    const evidence = {
      ...checks,
      systemDetails: details(status.SystemStatus),
      instanceDetails: details(status.InstanceStatus),
    };
    const impaired = (['system', 'instance'] as const).filter((which) => checks[which] === 'impaired');
    if (impaired.length > 0) {
      const nextSteps = [
        ...(impaired.includes('system')
          ? [
              `System check impaired (AWS host): stop and start the instance to move it to healthy hardware: aws ec2 stop-instances --region ${facts.region} --instance-ids ${instanceId} && aws ec2 start-instances --region ${facts.region} --instance-ids ${instanceId}`,
            ]
          : []),
        ...(impaired.includes('instance')
          ? [
              `Instance check impaired (OS): read the console output and screenshot (aws ec2 get-console-output --region ${facts.region} --instance-id ${instanceId} --latest), then fix the OS or reboot it.`,
            ]
          : []),
      ];
      return result.fail(
        ID,
        'INSTANCE_STATUS_IMPAIRED',
        `The ${impaired.join(' and ')} status check of ${instanceId} is impaired.`,
        evidence,
        nextSteps,
      );
    }
    const pending = Object.entries(checks).filter(([, value]) => PENDING.has(value));
    if (pending.length > 0 || checks.attachedEbs === 'impaired') {
      const which = [
        ...pending.map(([name, value]) => `${name} ${value}`),
        ...(checks.attachedEbs === 'impaired' ? ['attached EBS impaired'] : []),
      ];
      return result.warn(
        ID,
        `Status checks of ${instanceId} are not conclusive: ${which.join(', ')}.`,
        evidence,
      );
    }
    return result.pass(
      ID,
      `System and instance status checks of ${instanceId} are ${checks.system}/${checks.instance}.`,
      evidence,
    );
  },
};
