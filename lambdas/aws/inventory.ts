/**
 * Discovery's two inventories, each read to the end: every running instance, and every SSM
 * registration. Nothing else can be decided without both, so a failure here fails the run.
 */
import { type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { type InstanceInformation, paginateDescribeInstanceInformation } from '@aws-sdk/client-ssm';
import type { AwsClients } from './clients.ts';

export interface Inventory {
  instances: Instance[];
  registrations: InstanceInformation[];
}

export async function readRunningInstances(clients: AwsClients, instanceIds?: string[]): Promise<Instance[]> {
  const instances: Instance[] = [];
  const filters = [{ Name: 'instance-state-name', Values: ['running'] }];
  if (instanceIds?.length) filters.push({ Name: 'instance-id', Values: instanceIds });
  const pages = paginateDescribeInstances({ client: clients.ec2, pageSize: 1000 }, { Filters: filters });
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
  }
  return instances;
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
