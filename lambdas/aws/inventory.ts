/**
 * Discovery's two inventories, each read to the end: every running instance, and every SSM
 * registration. Nothing else can be decided without both, so a failure here fails the run.
 */
import { type EC2Client, type Filter, type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import {
  type InstanceInformation,
  paginateDescribeInstanceInformation,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Readout } from '../engine/readout.ts';
import type { AwsClients } from './clients.ts';
import { attempt, DENIED_OR_THROTTLED, isCode } from './errors.ts';
import { chunk, drain } from './paging.ts';

export interface Inventory {
  instances: Instance[];
  registrations: InstanceInformation[];
}

/** Every instance matching the filters, all pages. */
export function describeInstances(ec2: EC2Client, Filters: Filter[]): Promise<Instance[]> {
  return drain(paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters }), (page) =>
    page.Reservations?.flatMap((reservation) => reservation.Instances ?? []),
  );
}

const RUNNING: Filter = { Name: 'instance-state-name', Values: ['running'] };

/** Running instances whose `name` filter matches any of the values (chunked to stay within a filter's limit). */
async function readRunningBy(ec2: EC2Client, name: string, values: readonly string[]): Promise<Instance[]> {
  const pages = await Promise.all(
    chunk([...new Set(values)]).map((part) =>
      describeInstances(ec2, [RUNNING, { Name: name, Values: part }]),
    ),
  );
  return pages.flat();
}

export function readRunningInstances(
  clients: Pick<AwsClients, 'ec2'>,
  instanceIds?: readonly string[],
): Promise<Instance[]> {
  // Filters, not InstanceIds: an id that no longer exists is simply absent instead of failing the call.
  return instanceIds?.length
    ? readRunningBy(clients.ec2, 'instance-id', instanceIds)
    : describeInstances(clients.ec2, [RUNNING]);
}

/** Running instances that use any of these instance profiles: who a change to a shared role reaches. */
export function readProfileUsers(
  clients: Pick<AwsClients, 'ec2'>,
  profileArns: readonly string[],
): Promise<Instance[]> {
  return profileArns.length
    ? readRunningBy(clients.ec2, 'iam-instance-profile.arn', profileArns)
    : Promise.resolve([]);
}

/** DescribeInstanceInformation accepts at most 50 per page. */
export function readRegistrations(clients: Pick<AwsClients, 'ssm'>): Promise<InstanceInformation[]> {
  return drain(
    paginateDescribeInstanceInformation({ client: clients.ssm, pageSize: 50 }, {}),
    (page) => page.InstanceInformationList,
  );
}

export async function readInventory(
  clients: Pick<AwsClients, 'ec2' | 'ssm'>,
  instanceIds?: string[],
): Promise<Inventory> {
  const [instances, registrations] = await Promise.all([
    readRunningInstances(clients, instanceIds),
    readRegistrations(clients),
  ]);
  return { instances, registrations };
}

/** DescribeInstanceInformation returns at most 50 per page; asking for 50 ids per call keeps it one page. */
const IDS_PER_CALL = 50;

/** Which of these instances SSM lists as Online now. */
export async function readOnline(
  ssm: SSMClient,
  instanceIds: readonly string[],
): Promise<Readout<Set<string>>> {
  return attempt(
    'DescribeInstanceInformation',
    async () => {
      const online = new Set<string>();
      for (const ids of chunk(instanceIds, IDS_PER_CALL)) {
        for (const id of await onlineAmong(ssm, ids)) online.add(id);
      }
      return online;
    },
    DENIED_OR_THROTTLED,
  );
}

/**
 * SSM answers `InvalidInstanceId` for a whole request when any id in the filter is not a managed
 * node — which is what a freshly fixed instance usually is. Halve the ids until the unregistered
 * ones stand alone: an unregistered id is simply not online (a few calls for a handful of them).
 */
async function onlineAmong(ssm: SSMClient, ids: readonly string[]): Promise<string[]> {
  try {
    const pages = paginateDescribeInstanceInformation(
      { client: ssm, pageSize: IDS_PER_CALL },
      { Filters: [{ Key: 'InstanceIds', Values: [...ids] }] },
    );
    const infos = await drain(pages, (page) => page.InstanceInformationList);
    return infos.filter((i) => i.PingStatus === 'Online' && i.InstanceId).map((i) => i.InstanceId as string);
  } catch (error) {
    if (!isCode(error, 'InvalidInstanceId')) throw error;
    if (ids.length === 1) return [];
    const half = Math.ceil(ids.length / 2);
    return [...(await onlineAmong(ssm, ids.slice(0, half))), ...(await onlineAmong(ssm, ids.slice(half)))];
  }
}
