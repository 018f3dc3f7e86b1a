/**
 * Network ACL evaluation for TCP over a port range. ACLs are stateless and ordered: entries are
 * walked by ascending rule number and the first matching entry decides; nothing matching means
 * the `*` rule's deny. A range is cut where entries' port ranges start or end, and each piece is
 * decided on its own, so "which ports are blocked" is exact. IPv4 only (IPv6 entries are skipped).
 */
import type { NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';
import { cidrContains, isNonPublicCidr, isWholeInternet } from './ipv4.ts';

export interface PortRange {
  from: number;
  to: number;
}

/** The far end: a known address, or an unknown public address of a regional service. */
export type AclPeer = { kind: 'address'; address: string } | { kind: 'internet' };

export interface AclRule {
  ruleNumber: number;
  action: 'allow' | 'deny';
  cidr: string;
}

export type PortDecision =
  | { kind: 'allow' | 'deny'; ports: PortRange; rule: AclRule }
  /** A narrower rule before the deciding one may match the unknown address and decide otherwise. */
  | { kind: 'uncertain'; ports: PortRange; rule: AclRule; narrower: AclRule };

export interface AclVerdict {
  status: 'allow' | 'deny' | 'uncertain';
  decisions: PortDecision[];
}

export const DEFAULT_RULE_NUMBER = 32767;
const IMPLICIT_DENY: AclRule = { ruleNumber: DEFAULT_RULE_NUMBER, action: 'deny', cidr: '0.0.0.0/0' };

export function entriesOf(acl: NetworkAcl, direction: 'ingress' | 'egress'): NetworkAclEntry[] {
  return (acl.Entries ?? [])
    .filter((entry) => Boolean(entry.Egress) === (direction === 'egress'))
    .sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
}

export function evaluateAcl(
  acl: NetworkAcl,
  direction: 'ingress' | 'egress',
  peer: AclPeer,
  ports: PortRange,
): AclVerdict {
  const entries = entriesOf(acl, direction).filter((entry) => entry.CidrBlock && isTcp(entry.Protocol));
  const cuts = new Set([ports.from, ports.to + 1]);
  for (const entry of entries) {
    for (const cut of [entry.PortRange?.From, (entry.PortRange?.To ?? Number.NaN) + 1]) {
      if (cut !== undefined && cut > ports.from && cut <= ports.to) cuts.add(cut);
    }
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const decisions: PortDecision[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const piece = { from: bounds[i] as number, to: (bounds[i + 1] as number) - 1 };
    const decision = decide(entries, peer, piece);
    const last = decisions[decisions.length - 1];
    if (last && sameDecision(last, decision)) last.ports.to = piece.to;
    else decisions.push(decision);
  }
  const status = decisions.some((d) => d.kind === 'deny')
    ? 'deny'
    : decisions.some((d) => d.kind === 'uncertain')
      ? 'uncertain'
      : 'allow';
  return { status, decisions };
}

function decide(entries: readonly NetworkAclEntry[], peer: AclPeer, ports: PortRange): PortDecision {
  const narrower: AclRule[] = [];
  for (const entry of entries) {
    if (!coversPort(entry, ports.from)) continue;
    const rule = ruleOf(entry);
    const match = addressMatch(rule.cidr, peer);
    if (match === 'no') continue;
    if (match === 'maybe') {
      narrower.push(rule);
      continue;
    }
    const contrary = narrower.find((candidate) => candidate.action !== rule.action);
    return contrary
      ? { kind: 'uncertain', ports, rule, narrower: contrary }
      : { kind: rule.action, ports, rule };
  }
  const contrary = narrower.find((candidate) => candidate.action === 'allow');
  return contrary
    ? { kind: 'uncertain', ports, rule: IMPLICIT_DENY, narrower: contrary }
    : { kind: 'deny', ports, rule: IMPLICIT_DENY };
}

function isTcp(protocol: string | undefined): boolean {
  const value = (protocol ?? '').toLowerCase();
  return value === '-1' || value === '6' || value === 'tcp';
}

function coversPort(entry: NetworkAclEntry, port: number): boolean {
  if (entry.Protocol === '-1' || !entry.PortRange) return true;
  return (entry.PortRange.From ?? 0) <= port && port <= (entry.PortRange.To ?? 65535);
}

function addressMatch(cidr: string, peer: AclPeer): 'yes' | 'no' | 'maybe' {
  if (peer.kind === 'address') return cidrContains(cidr, peer.address) ? 'yes' : 'no';
  // A regional service's address is public: only /0 surely holds it, a private range never does.
  if (isWholeInternet(cidr)) return 'yes';
  return isNonPublicCidr(cidr) ? 'no' : 'maybe';
}

const ruleOf = (entry: NetworkAclEntry): AclRule => ({
  ruleNumber: entry.RuleNumber ?? DEFAULT_RULE_NUMBER,
  action: entry.RuleAction === 'allow' ? 'allow' : 'deny',
  cidr: entry.CidrBlock ?? '',
});

function sameDecision(a: PortDecision, b: PortDecision): boolean {
  const narrowerOf = (d: PortDecision) => (d.kind === 'uncertain' ? d.narrower.ruleNumber : undefined);
  return (
    a.kind === b.kind &&
    a.rule.ruleNumber === b.rule.ruleNumber &&
    narrowerOf(a) === narrowerOf(b) &&
    a.ports.to + 1 === b.ports.from
  );
}
