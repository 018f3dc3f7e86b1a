/**
 * Discovery: which running instances Systems Manager does not manage. Pure: the inventories, the
 * settings and the clock come in; candidates and the fleet summary come out.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { Candidate } from './facts.ts';
import type { IgnoredInstance, RunError, Summary } from './report-model.ts';
import type { Settings } from './settings.ts';
import { ignoreLabel, isIgnored, tagProblems, tagValue } from './tags.ts';

export interface Discovery {
  /** Sorted by instance id, the order findings and the remediation cap use. */
  candidates: Candidate[];
  summary: Summary;
  /** Every running instance hidden by `ssm-doctor:ignore=true`, listed so a tag cannot hide one silently. */
  ignored: IgnoredInstance[];
  /** Steering tags with a value other than `true`/`false` (read fail-closed, and reported). */
  errors: RunError[];
}

export function discover(
  instances: readonly Instance[],
  registrations: readonly InstanceInformation[],
  settings: Pick<Settings, 'gracePeriodMinutes'>,
  now: Date,
): Discovery {
  const byId = new Map(registrations.map((info) => [info.InstanceId, info]));
  const graceStart = now.getTime() - settings.gracePeriodMinutes * 60_000;
  const summary: Summary = {
    runningInstances: 0,
    online: 0,
    notRegistered: 0,
    connectionLost: 0,
    ignored: 0,
    inGracePeriod: 0,
    operatedByService: 0,
  };
  const candidates: Candidate[] = [];
  const ignored: IgnoredInstance[] = [];
  const errors: RunError[] = [];
  for (const instance of instances) {
    if (instance.State?.Name !== 'running' || !instance.InstanceId) continue;
    summary.runningInstances++;
    errors.push(...tagProblems(`Instance ${instance.InstanceId}`, instance.Tags));
    const information = byId.get(instance.InstanceId);
    if (information?.PingStatus === 'Online') {
      summary.online++;
    } else if (instance.Operator?.Managed === true) {
      // EKS Auto Mode, Lambda Managed Instances…: the operating service manages these, not the
      // account, so a missing SSM registration is theirs by design, never a finding or a fix.
      summary.operatedByService = (summary.operatedByService ?? 0) + 1;
    } else if (isIgnored(instance.Tags)) {
      summary.ignored++;
      ignored.push({
        instanceId: instance.InstanceId,
        name: tagValue(instance.Tags, 'Name') ?? null,
        tag: ignoreLabel(instance.Tags),
      });
    } else if (launchedAfter(instance, graceStart)) {
      summary.inGracePeriod++;
    } else if (information) {
      // ConnectionLost, or Inactive (a registration that stopped reporting): it registered once,
      // so the agent was installed and the last version and ping are known.
      summary.connectionLost++;
      candidates.push({ instance, ssmStatus: 'ConnectionLost', information });
    } else {
      summary.notRegistered++;
      candidates.push({ instance, ssmStatus: 'NotRegistered' });
    }
  }
  candidates.sort((a, b) => compareIds(a.instance.InstanceId, b.instance.InstanceId));
  ignored.sort((a, b) => compareIds(a.instanceId, b.instanceId));
  return { candidates, summary, ignored, errors };
}

function launchedAfter(instance: Instance, graceStart: number): boolean {
  const launched = instance.LaunchTime ? new Date(instance.LaunchTime).getTime() : Number.NaN;
  // An unknown launch time is judged, not excused: it cannot prove the instance is young.
  return Number.isFinite(launched) && launched > graceStart;
}

const compareIds = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);

/** Splits candidates into batches for the workflow's Map state (one fact picture per batch). */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
