/** The network interfaces (subnet and private address) behind one interface endpoint. */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { unreadable } from './picture.ts';

export interface EndpointAddress {
  eniId: string;
  address: string;
  subnetId: string | undefined;
}

export type EndpointAddresses = { ok: true; addresses: EndpointAddress[] } | { ok: false; reason: string };

export function endpointAddresses(facts: InstanceFacts, endpoint: VpcEndpoint): EndpointAddresses {
  const { endpointInterfaces } = facts.network;
  const id = endpoint.VpcEndpointId ?? 'the endpoint';
  if (!endpointInterfaces.ok)
    return { ok: false, reason: unreadable('endpoint network interfaces', endpointInterfaces) ?? '' };
  const eniIds = endpoint.NetworkInterfaceIds ?? [];
  if (eniIds.length === 0)
    return { ok: false, reason: `interface endpoint ${id} lists no network interfaces` };
  const addresses: EndpointAddress[] = [];
  for (const eniId of eniIds) {
    const eni = endpointInterfaces.value.find((candidate) => candidate.NetworkInterfaceId === eniId);
    if (!eni?.PrivateIpAddress) {
      return {
        ok: false,
        reason: `network interface ${eniId} of interface endpoint ${id} is not in the network picture`,
      };
    }
    addresses.push({ eniId, address: eni.PrivateIpAddress, subnetId: eni.SubnetId });
  }
  return { ok: true, addresses };
}

export const endpointGroupIds = (endpoint: VpcEndpoint): string[] =>
  (endpoint.Groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : []));
