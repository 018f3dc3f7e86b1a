/**
 * `scan --instance ID`: for every instance asked for that got no finding, why it was not judged
 * (not found, not running, online, ignored, in the grace period, left out by a filter, or judged
 * and managed), so a typo or a stopped instance is not reported as "all managed".
 */
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.ts';
import type { Report } from '../engine/report-model.ts';
import { isIgnored } from '../engine/tags.ts';

export interface NotJudged {
  instanceId: string;
  why: string;
}

/** Pure: the reason for each asked-for id without a finding. */
export function notJudged(
  asked: readonly string[],
  report: Report,
  running: readonly Instance[],
  registrations: readonly InstanceInformation[],
  states: ReadonlyMap<string, string>,
  kept: (instance: Instance) => boolean,
): NotJudged[] {
  const judged = new Set(report.findings.map((f) => f.instanceId));
  const byId = new Map(running.map((i) => [i.InstanceId, i]));
  const online = new Set(registrations.filter((r) => r.PingStatus === 'Online').map((r) => r.InstanceId));
  const graceStart = new Date(report.generatedAt).getTime() - report.settings.gracePeriodMinutes * 60_000;
  return [...new Set(asked)].flatMap((instanceId) => {
    if (judged.has(instanceId)) return [];
    const instance = byId.get(instanceId);
    const why = !instance
      ? states.has(instanceId)
        ? `not running (${states.get(instanceId)})`
        : `not found in ${report.accountId}/${report.region}`
      : !kept(instance)
        ? 'left out by --vpc/--tag'
        : online.has(instanceId)
          ? 'online in Systems Manager (managed)'
          : isIgnored(instance.Tags)
            ? 'ignored (tagged ssm-doctor:ignore=true)'
            : instance.LaunchTime && new Date(instance.LaunchTime).getTime() > graceStart
              ? `in its grace period (launched ${new Date(instance.LaunchTime).toISOString()}, judged after ${report.settings.gracePeriodMinutes} minutes)`
              : 'not judged';
    return [{ instanceId, why }];
  });
}

/** The state of instances that are not running (one filtered call: a missing id is simply absent). */
export async function instanceStates(
  clients: AwsClients,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (!ids.length) return states;
  let NextToken: string | undefined;
  do {
    const page = await clients.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [...ids] }], NextToken }),
    );
    for (const reservation of page.Reservations ?? [])
      for (const i of reservation.Instances ?? [])
        if (i.InstanceId) states.set(i.InstanceId, i.State?.Name ?? 'unknown');
    NextToken = page.NextToken;
  } while (NextToken);
  return states;
}

/** `--vpc` and `--tag KEY=VALUE` (each repeatable): an instance is kept when it matches any VPC and every tag. */
export function instanceFilter(vpcs: readonly string[], tags: readonly [string, string][]) {
  if (!vpcs.length && !tags.length) return undefined;
  return (instance: Instance) =>
    (!vpcs.length || vpcs.includes(instance.VpcId ?? '')) &&
    tags.every(([key, value]) => instance.Tags?.some((t) => t.Key === key && t.Value === value));
}
