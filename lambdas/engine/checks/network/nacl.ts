/**
 * `network.nacl`: the network ACLs on the way let each service's HTTPS out and its answers back
 * in: the instance subnet, the NAT gateway's subnet on the NAT path, and the endpoint network
 * interfaces' subnets on the endpoint path.
 */
import type { Check } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { ephemeralPorts, platformOf } from '../../platform.ts';
import { endpointAddresses } from './endpoint-interfaces.ts';
import {
  type AclCrossing,
  type CrossingResult,
  conversationFrom,
  conversationInto,
  judgeCrossing,
} from './nacl-flows.ts';
import { combineOutcomes, outcomeWithoutDestination, type ServiceOutcome } from './outcomes.ts';
import { resolveServicePaths, type ServicePath } from './paths.ts';
import { instanceOf } from './picture.ts';

const ID = 'network.nacl';
// A NAT gateway answers from its own ports, 1024–65535, whatever the instance's OS.
const NAT_PORTS = { from: 1024, to: 65535 };

export const networkAclCheck: Check = {
  id: ID,
  title: 'Network ACLs allow HTTPS out to each SSM service and the return traffic back in',
  reads: ['network'],
  evaluate: (facts) =>
    combineOutcomes(
      ID,
      'NACL_BLOCKED',
      resolveServicePaths(facts).map((path) => outcomeWithoutDestination(path) ?? judgeService(facts, path)),
      'No SSM service has a network path, so there is no traffic for network ACLs to block.',
    ),
};

function judgeService(facts: InstanceFacts, path: ServicePath): ServiceOutcome {
  const me = instanceOf(facts);
  const answers = ephemeralPorts(platformOf(facts.candidate));
  const base = { service: path.service, evidence: { ephemeralPorts: answers } };
  if (!me.subnetId || !me.privateIp)
    return {
      ...base,
      status: 'unknown',
      detail: `instance ${me.instanceId} has no subnet or private address`,
    };
  const instancePeer = { kind: 'address' as const, address: me.privateIp };
  if (path.destination === 'internet') {
    const crossings = conversationFrom(
      me.subnetId,
      { kind: 'internet' },
      answers,
      `HTTPS to ${path.hostname}`,
    );
    const natSubnet = path.internet?.natSubnetId;
    if (natSubnet && natSubnet !== me.subnetId) {
      crossings.push(
        ...conversationInto(
          natSubnet,
          instancePeer,
          answers,
          `HTTPS from instance ${me.instanceId} to its NAT gateway`,
        ),
        ...conversationFrom(
          natSubnet,
          { kind: 'internet' },
          NAT_PORTS,
          `HTTPS from the NAT gateway to ${path.hostname}`,
        ),
      );
    }
    const results = crossings.map((crossing) => judgeCrossing(facts, crossing));
    const worst = worstOf(results);
    const evidence = { ...base.evidence, crossings: crossingEvidence(crossings, results) };
    if (worst.status === 'allow') {
      const acls = [...new Set(results.map((r) => r.aclId))];
      const detail = `${acls.length > 1 ? `network ACLs ${acls.join(', ')} allow` : `network ACL ${acls[0]} allows`} HTTPS out to 0.0.0.0/0 and TCP ${answers.from}-${answers.to} back in`;
      return { ...base, evidence, status: 'pass', detail };
    }
    return { ...base, evidence, status: worst.status, detail: worst.detail, nextSteps: worst.nextSteps };
  }
  const endpointId = path.endpoint?.VpcEndpointId ?? 'the endpoint';
  const enis = path.endpoint
    ? endpointAddresses(facts, path.endpoint)
    : { ok: false as const, reason: `no endpoint for ${path.service}` };
  if (!enis.ok) return { ...base, status: 'unknown', detail: enis.reason };
  const perEni = enis.addresses.map((eni) => {
    if (eni.subnetId === me.subnetId)
      return { eniId: eni.eniId, crossings: [] as AclCrossing[], results: [] as CrossingResult[] };
    const crossings = eni.subnetId
      ? [
          ...conversationFrom(
            me.subnetId as string,
            { kind: 'address', address: eni.address },
            answers,
            `HTTPS to ${endpointId} (${eni.address})`,
          ),
          ...conversationInto(
            eni.subnetId,
            instancePeer,
            answers,
            `HTTPS from instance ${me.instanceId} to ${endpointId}`,
          ),
        ]
      : [];
    const results = eni.subnetId
      ? crossings.map((c) => judgeCrossing(facts, c))
      : [{ status: 'unknown' as const, detail: `network interface ${eni.eniId} has no subnet` }];
    return { eniId: eni.eniId, crossings, results };
  });
  const verdicts = perEni.map((eni) => ({ eniId: eni.eniId, ...worstOf(eni.results) }));
  const evidence = {
    ...base.evidence,
    endpointId,
    networkInterfaces: Object.fromEntries(
      perEni.map((eni, i) => [
        eni.eniId,
        { status: verdicts[i]?.status, crossings: crossingEvidence(eni.crossings, eni.results) },
      ]),
    ),
  };
  const open = verdicts.filter((v) => v.status === 'allow');
  const closed = verdicts.filter((v) => v.status !== 'allow');
  if (closed.length === 0) {
    const crossed = perEni.some((eni) => eni.crossings.length > 0);
    const detail = crossed
      ? `network ACLs allow HTTPS between instance ${me.instanceId} and every network interface of interface endpoint ${endpointId}`
      : `interface endpoint ${endpointId} sits in subnet ${me.subnetId} with instance ${me.instanceId}, so no network ACL is crossed`;
    return { ...base, evidence, status: 'pass', detail };
  }
  const details = [...new Set(closed.map((v) => v.detail))].join('; ');
  const nextSteps = [...new Set(closed.flatMap((v) => v.nextSteps ?? []))];
  if (open.length > 0) {
    const blocked = closed.map((v) => v.eniId).join(', ');
    return {
      ...base,
      evidence,
      status: 'warn',
      detail: `network interfaces ${blocked} of interface endpoint ${endpointId} cannot be reached (the others can): ${details}`,
      nextSteps,
    };
  }
  const status = closed.some((v) => v.status === 'unknown')
    ? 'unknown'
    : closed.some((v) => v.status === 'fail')
      ? 'fail'
      : 'warn';
  return { ...base, evidence, status, detail: details, nextSteps };
}

type Worst = { status: 'allow' | 'fail' | 'unknown' | 'warn'; detail: string; nextSteps: string[] };

/** deny → fail, then unknown, then uncertain → warn; allow only when every crossing allows. */
function worstOf(results: readonly CrossingResult[]): Worst {
  const order = [
    ['fail', 'deny'],
    ['unknown', 'unknown'],
    ['warn', 'uncertain'],
  ] as const;
  for (const [status, crossingStatus] of order) {
    const chosen = results.filter((r) => r.status === crossingStatus);
    if (chosen.length === 0) continue;
    return {
      status,
      detail: [...new Set(chosen.map((r) => r.detail ?? ''))].join('; '),
      nextSteps: [...new Set(chosen.flatMap((r) => (r.fix ? [r.fix] : [])))],
    };
  }
  return { status: 'allow', detail: '', nextSteps: [] };
}

function crossingEvidence(crossings: readonly AclCrossing[], results: readonly CrossingResult[]) {
  return crossings.map((c, i) => ({
    subnetId: c.subnetId,
    networkAclId: results[i]?.aclId,
    direction: c.direction,
    ports: `${c.ports.from}-${c.ports.to}`,
    peer: c.peer.kind === 'address' ? c.peer.address : '0.0.0.0/0',
    status: results[i]?.status,
  }));
}
