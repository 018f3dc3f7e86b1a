/**
 * The network ACL crossings of one HTTPS conversation, and what each ACL says about them.
 * Every crossing is one direction of one subnet's ACL; traffic that stays inside a subnet
 * crosses none.
 */
import type { NetworkAcl } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { type AclPeer, type AclVerdict, entriesOf, evaluateAcl, type PortRange } from './nacl-rules.ts';
import { networkAclOf, unreadable } from './picture.ts';

export interface AclCrossing {
  subnetId: string;
  direction: 'ingress' | 'egress';
  peer: AclPeer;
  ports: PortRange;
  /** What the traffic is, e.g. "HTTPS to ssm.eu-west-1.amazonaws.com". */
  purpose: string;
}

export interface CrossingResult {
  status: 'allow' | 'deny' | 'uncertain' | 'unknown';
  /** A clause naming the ACL, the ports and the rules (absent when allowed). */
  detail?: string;
  fix?: string;
  aclId?: string;
}

/** The HTTPS request leaving `subnetId` for `peer` and its answer coming back. */
export function conversationFrom(
  subnetId: string,
  peer: AclPeer,
  answerPorts: PortRange,
  purpose: string,
): AclCrossing[] {
  return [
    { subnetId, direction: 'egress', peer, ports: { from: 443, to: 443 }, purpose },
    { subnetId, direction: 'ingress', peer, ports: answerPorts, purpose: `the answers to ${purpose}` },
  ];
}

/** The HTTPS request entering `subnetId` from `peer` and its answer going back. */
export function conversationInto(
  subnetId: string,
  peer: AclPeer,
  answerPorts: PortRange,
  purpose: string,
): AclCrossing[] {
  return [
    { subnetId, direction: 'ingress', peer, ports: { from: 443, to: 443 }, purpose },
    { subnetId, direction: 'egress', peer, ports: answerPorts, purpose: `the answers to ${purpose}` },
  ];
}

export function judgeCrossing(facts: InstanceFacts, crossing: AclCrossing): CrossingResult {
  const { networkAcls } = facts.network;
  if (!networkAcls.ok) return { status: 'unknown', detail: unreadable('network ACLs', networkAcls) ?? '' };
  // The subnet's own VPC decides its default ACL (an endpoint subnet may be in another VPC).
  const subnets = facts.network.subnets.ok ? facts.network.subnets.value : [];
  const vpcId =
    subnets.find((subnet) => subnet.SubnetId === crossing.subnetId)?.VpcId ?? facts.candidate.instance.VpcId;
  const acl = networkAclOf(networkAcls.value, crossing.subnetId, vpcId);
  if (!acl)
    return {
      status: 'unknown',
      detail: `the network picture holds no network ACL for subnet ${crossing.subnetId}`,
    };
  const aclId = acl.NetworkAclId ?? 'unnamed';
  const verdict = evaluateAcl(acl, crossing.direction, crossing.peer, crossing.ports);
  if (verdict.status === 'allow') return { status: 'allow', aclId };
  const way = crossing.direction === 'egress' ? 'outbound' : 'inbound';
  const toFrom = crossing.direction === 'egress' ? 'to' : 'from';
  const peer = crossing.peer.kind === 'address' ? crossing.peer.address : '0.0.0.0/0';
  const head = `network ACL ${aclId} of subnet ${crossing.subnetId}`;
  if (verdict.status === 'uncertain')
    return { status: 'uncertain', aclId, detail: `${head} ${uncertainty(verdict, way, toFrom)}` };
  const denied = verdict.decisions.filter((d) => d.kind === 'deny');
  const parts = denied.map((d) => `${portsText(d.ports)} (rule ${ruleText(d.rule.ruleNumber)})`).join(', ');
  const ruleNumber = freeRuleNumberBelow(
    acl,
    crossing.direction,
    Math.min(...denied.map((d) => d.rule.ruleNumber)),
  );
  const cidr = crossing.peer.kind === 'address' ? `${crossing.peer.address}/32` : '0.0.0.0/0';
  return {
    status: 'deny',
    aclId,
    detail: `${head} denies ${way} TCP ${parts} ${toFrom} ${peer}, needed for ${crossing.purpose}`,
    fix: `aws ec2 create-network-acl-entry --network-acl-id ${aclId} --${crossing.direction} --rule-number ${ruleNumber} --protocol tcp --port-range From=${crossing.ports.from},To=${crossing.ports.to} --cidr-block ${cidr} --rule-action allow`,
  };
}

function uncertainty(verdict: AclVerdict, way: string, toFrom: string): string {
  const first = verdict.decisions.find((d) => d.kind === 'uncertain');
  if (first?.kind !== 'uncertain') return 'may block the traffic';
  const ports = portsText(first.ports);
  const deciding = `rule ${ruleText(first.rule.ruleNumber)}`;
  return first.narrower.action === 'allow'
    ? `allows ${way} TCP ${ports} only ${toFrom} ${first.narrower.cidr} (rule ${first.narrower.ruleNumber}) before ${deciding} denies 0.0.0.0/0; verify it covers the regional service addresses`
    : `denies ${way} TCP ${ports} ${toFrom} ${first.narrower.cidr} (rule ${first.narrower.ruleNumber}) before ${deciding} allows 0.0.0.0/0; verify it does not cover the regional service addresses`;
}

/** A free rule number below `limit` in that direction, preferring multiples of ten. */
function freeRuleNumberBelow(acl: NetworkAcl, direction: 'ingress' | 'egress', limit: number): string {
  const used = new Set(entriesOf(acl, direction).map((entry) => entry.RuleNumber));
  for (let n = Math.floor((limit - 1) / 10) * 10; n >= 10; n -= 10) if (!used.has(n)) return String(n);
  for (let n = limit - 1; n >= 1; n--) if (!used.has(n)) return String(n);
  return `<a free rule number below ${limit}>`;
}

const portsText = (ports: PortRange) =>
  ports.from === ports.to ? `${ports.from}` : `${ports.from}-${ports.to}`;
const ruleText = (ruleNumber: number) => (ruleNumber === 32767 ? '*' : String(ruleNumber));
