/** Pieces of the exact commands next steps suggest, with real ids from the VPC when there are some. */
import type { NetworkAcl, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { instanceOf } from './picture.ts';
import { endpointServiceName, type SsmService } from './services.ts';

/** A working public NAT gateway of the VPC, other than `exceptId`. */
export function availablePublicNat(facts: InstanceFacts, exceptId?: string): string | undefined {
  const { natGateways } = facts.network;
  const vpcId = instanceOf(facts).vpcId;
  if (!natGateways.ok) return undefined;
  return natGateways.value.find(
    (nat) =>
      nat.State === 'available' &&
      nat.ConnectivityType !== 'private' &&
      nat.NatGatewayId !== exceptId &&
      (!vpcId || !nat.VpcId || nat.VpcId === vpcId),
  )?.NatGatewayId;
}

/** The internet gateway attached to the instance's VPC. */
export function attachedInternetGateway(facts: InstanceFacts): string | undefined {
  const { internetGateways } = facts.network;
  const vpcId = instanceOf(facts).vpcId;
  if (!internetGateways.ok) return undefined;
  // DescribeInternetGateways reports a live attachment as `available`, though the SDK type says `attached`.
  const live = (state: string | undefined) => state === 'available' || state === 'attached';
  return internetGateways.value.find((igw) =>
    igw.Attachments?.some((a) => (!vpcId || a.VpcId === vpcId) && live(a.State)),
  )?.InternetGatewayId;
}

/**
 * The `create-route` / `replace-route` target flag: a NAT gateway for a private instance, the
 * internet gateway for one with a public IPv4.
 */
export function replacementTarget(facts: InstanceFacts, exceptId?: string): string {
  const me = instanceOf(facts);
  const igw = attachedInternetGateway(facts);
  if (me.publicIp && igw && igw !== exceptId) return `--gateway-id ${igw}`;
  const nat = availablePublicNat(facts, exceptId);
  return nat ? `--nat-gateway-id ${nat}` : '--nat-gateway-id <an available NAT gateway in a public subnet>';
}

/** The create command, reusing the subnets and groups of `template` (another SSM endpoint). */
export function createEndpointCommand(
  facts: InstanceFacts,
  service: SsmService,
  template?: VpcEndpoint,
): string {
  const me = instanceOf(facts);
  const subnets = template?.SubnetIds?.length
    ? template.SubnetIds.join(' ')
    : (me.subnetId ?? '<subnet-ids>');
  const groups = template?.Groups?.flatMap((group) => (group.GroupId ? [group.GroupId] : [])) ?? [];
  return [
    `aws ec2 create-vpc-endpoint --vpc-id ${me.vpcId ?? '<vpc-id>'} --vpc-endpoint-type Interface`,
    `--service-name ${endpointServiceName(service, facts.region)} --subnet-ids ${subnets}`,
    `--security-group-ids ${groups.length ? groups.join(' ') : '<a security group allowing TCP 443 from the instance>'}`,
    '--private-dns-enabled',
  ].join(' ');
}

const ACL_ENTRY =
  /^aws ec2 create-network-acl-entry --network-acl-id (\S+) --(ingress|egress) --rule-number (\d+) (.*)$/;

/**
 * Network ACL commands that work when pasted. Each blocked crossing suggests its own entry with
 * the highest free rule number below the deny it must precede, so several flows through one ACL
 * would all get the same `--rule-number` and every command after the first would fail
 * (`NetworkAclEntryAlreadyExists`). Here each new entry takes a number of its own (free in the
 * ACL and among the others, still below its deny), identical entries are asked for once, and the
 * entries of one ACL are joined into one command line to paste. Other steps pass unchanged.
 */
export function pasteableAclEntries(steps: readonly string[], acls: readonly NetworkAcl[]): string[] {
  const byAcl = new Map<string, { direction: string; limit: number; rest: string }[]>();
  const out: (string | { acl: string })[] = [];
  for (const step of steps) {
    const match = ACL_ENTRY.exec(step);
    if (!match) {
      out.push(step);
      continue;
    }
    const [, acl = '', direction = '', rule = '', rest = ''] = match;
    if (!byAcl.has(acl)) {
      byAcl.set(acl, []);
      out.push({ acl });
    }
    const entries = byAcl.get(acl) ?? [];
    if (!entries.some((e) => e.direction === direction && e.rest === rest))
      entries.push({ direction, limit: Number(rule), rest });
  }
  return out.map((item) => {
    if (typeof item === 'string') return item;
    const taken = new Set(
      (acls.find((a) => a.NetworkAclId === item.acl)?.Entries ?? []).map(
        (e) => `${e.Egress ? 'egress' : 'ingress'}:${e.RuleNumber}`,
      ),
    );
    return (byAcl.get(item.acl) ?? [])
      .map(({ direction, limit, rest }) => {
        const number = freeNumberFrom(limit, (n) => taken.has(`${direction}:${n}`));
        taken.add(`${direction}:${number}`);
        return `aws ec2 create-network-acl-entry --network-acl-id ${item.acl} --${direction} --rule-number ${number} ${rest}`;
      })
      .join(' && ');
  });
}

/** `start` if free, else the next free number below it (multiples of ten first, as people number rules). */
function freeNumberFrom(start: number, used: (n: number) => boolean): number {
  if (!used(start)) return start;
  for (let n = Math.floor((start - 1) / 10) * 10; n >= 10; n -= 10) if (!used(n)) return n;
  for (let n = start - 1; n >= 1; n--) if (!used(n)) return n;
  return start;
}
