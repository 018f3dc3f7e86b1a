/**
 * Discovery's two inventories, each read to the end: every running instance, and every SSM
 * registration. Nothing else can be decided without both, so a failure here fails the run.
 */
import { type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { type InstanceInformation, paginateDescribeInstanceInformation } from '@aws-sdk/client-ssm';
import type { AwsClients } from './clients.ts';
import { chunk, drain } from './paging.ts';

export interface Inventory {
  instances: Instance[];
  registrations: InstanceInformation[];
}

export async function readRunningInstances(
  clients: AwsClients,
  instanceIds?: readonly string[],
): Promise<Instance[]> {
  const running = { Name: 'instance-state-name', Values: ['running'] };
  // Filters, not InstanceIds: an id that no longer exists is simply absent instead of failing the call.
  const queries = instanceIds?.length
    ? chunk(instanceIds).map((ids) => [running, { Name: 'instance-id', Values: ids }])
    : [[running]];
  const pages = await Promise.all(
    queries.map((Filters) =>
      drain(paginateDescribeInstances({ client: clients.ec2, pageSize: 1000 }, { Filters }), (page) =>
        page.Reservations?.flatMap((reservation) => reservation.Instances ?? []),
      ),
    ),
  );
  return pages.flat();
}

/** DescribeInstanceInformation accepts at most 50 per page. */
export async function readRegistrations(clients: AwsClients): Promise<InstanceInformation[]> {
  const registrations: InstanceInformation[] = [];
  const pages = paginateDescribeInstanceInformation({ client: clients.ssm, pageSize: 50 }, {});
  for await (const page of pages) registrations.push(...(page.InstanceInformationList ?? []));
  return registrations;
}

export async function readInventory(clients: AwsClients, instanceIds?: string[]): Promise<Inventory> {
  const [instances, registrations] = await Promise.all([
    readRunningInstances(clients, instanceIds),
    readRegistrations(clients),
  ]);
  return { instances, registrations };
}
