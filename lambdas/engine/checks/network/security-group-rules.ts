/**
 * Whether security group rules let TCP 443 through to (or from) a peer. Security groups are a
 * union: any one rule of any one group is enough. IPv4 only (`Ipv6Ranges` are ignored).
 */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { cidrContains, isNonPublicCidr, isWholeInternet } from './ipv4.ts';

/** An unknown public address of a regional service, or known addresses and groups. */
export type SgPeer = { kind: 'internet' } | { kind: 'known'; addresses: string[]; groupIds: string[] };

export interface SgVerdict {
  status: 'allow' | 'partial' | 'uncertain' | 'deny';
  /** The rules that let it through, e.g. "security group sg-1 (tcp 443 to 0.0.0.0/0)". */
  allowedBy: string[];
  /** Rules that may let it through, depending on addresses not known here. */
  mayAllow: string[];
  /** Known peer addresses no rule covers (for `partial`). */
  uncovered: string[];
}

export function coversTcp443(permission: IpPermission): boolean {
  const protocol = (permission.IpProtocol ?? '').toLowerCase();
  if (protocol === '-1') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  return (permission.FromPort ?? 0) <= 443 && 443 <= (permission.ToPort ?? 65535);
}

export function judgeRules(
  groups: readonly SecurityGroup[],
  direction: 'egress' | 'ingress',
  peer: SgPeer,
): SgVerdict {
  const allowedBy: string[] = [];
  const mayAllow: string[] = [];
  const covered = new Set<string>();
  // A rule naming one of the peer's groups, or 0.0.0.0/0, covers every address of the peer,
  // including addresses the picture does not know.
  let everyAddress = false;
  const preposition = direction === 'egress' ? 'to' : 'from';
  for (const group of groups) {
    const permissions = (direction === 'egress' ? group.IpPermissionsEgress : group.IpPermissions) ?? [];
    for (const permission of permissions.filter(coversTcp443)) {
      const label = (what: string) =>
        `security group ${group.GroupId} (${protocolLabel(permission)} ${preposition} ${what})`;
      for (const { PrefixListId } of permission.PrefixListIds ?? []) {
        // The prefix list's entries are not in the picture: on the internet path it is taken as
        // allowing (the AWS-managed lists exist for exactly this); towards known addresses it is a maybe.
        (peer.kind === 'internet' ? allowedBy : mayAllow).push(label(`prefix list ${PrefixListId}`));
      }
      for (const { CidrIp } of permission.IpRanges ?? []) {
        if (!CidrIp) continue;
        if (peer.kind === 'internet') {
          if (isWholeInternet(CidrIp)) allowedBy.push(label(CidrIp));
          else if (!isNonPublicCidr(CidrIp)) mayAllow.push(label(CidrIp));
          continue;
        }
        if (isWholeInternet(CidrIp)) {
          allowedBy.push(label(CidrIp));
          everyAddress = true;
          continue;
        }
        const inside = peer.addresses.filter((address) => cidrContains(CidrIp, address));
        if (inside.length > 0) allowedBy.push(label(CidrIp));
        for (const address of inside) covered.add(address);
      }
      if (peer.kind === 'known') {
        for (const pair of permission.UserIdGroupPairs ?? []) {
          if (!pair.GroupId || !peer.groupIds.includes(pair.GroupId)) continue;
          allowedBy.push(label(`security group ${pair.GroupId}`));
          everyAddress = true;
        }
      }
    }
  }
  if (peer.kind === 'internet') {
    const status = allowedBy.length > 0 ? 'allow' : mayAllow.length > 0 ? 'uncertain' : 'deny';
    return { status, allowedBy, mayAllow, uncovered: [] };
  }
  const uncovered = everyAddress ? [] : peer.addresses.filter((address) => !covered.has(address));
  const status =
    everyAddress || (covered.size > 0 && uncovered.length === 0)
      ? 'allow'
      : covered.size > 0
        ? 'partial'
        : mayAllow.length > 0
          ? 'uncertain'
          : 'deny';
  return { status, allowedBy, mayAllow, uncovered };
}

function protocolLabel(permission: IpPermission): string {
  if (permission.IpProtocol === '-1') return 'all traffic';
  const { FromPort: from, ToPort: to } = permission;
  return from === to ? `tcp ${from}` : `tcp ${from}-${to}`;
}
