/** The shapes the generated network is built from, shared by the layout and its routing. */
import type { World } from '../../../lambdas/sim/index.ts';
import type { IdMint } from './random.ts';

export type VpcKind =
  | 'internet'
  /** Internet and NAT gateways, plus SSM endpoints created without private DNS (bypassed). */
  | 'internet-stale-endpoints'
  | 'endpoints'
  | 'private-dns-off'
  | 'dns-disabled'
  | 'endpoint-missing'
  /** Endpoints whose ssm endpoint policy allows only S3 (a copy-pasted gateway-endpoint policy). */
  | 'endpoint-policy';
export type SubnetRole =
  | 'public'
  | 'private'
  | 'isolated'
  | 'legacy'
  | 'nat-broken'
  | 'mgmt'
  | 'locked'
  | 'endpoints'
  | 'sandbox';

export interface SubnetSlot {
  id: string;
  cidr: string;
  az: string;
  /** Next free host offset in the subnet. */
  next: number;
}

export interface VpcLayout {
  kind: VpcKind;
  id: string;
  cidr: string;
  subnets: Partial<Record<SubnetRole, SubnetSlot[]>>;
  groups: { app: string; web: string; dbOnly: string; sandbox: string; vpce?: string };
}

export interface NetworkContext {
  world: World;
  ids: IdMint;
  region: string;
  ownerId: string;
  /** The account-wide DHCP options set using AmazonProvidedDNS. */
  amazonDhcp: string;
}
