/**
 * The endpoint path through network ACLs: for each network interface of the endpoint, the
 * instance subnet's ACL (HTTPS out, answers in) and the endpoint subnet's ACL (the mirror
 * image). An interface in the instance's own subnet crosses no ACL. Reachable through any
 * interface is enough to work, so only some blocked is a warning.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { endpointAddresses } from './endpoint-interfaces.ts';
import { type CrossingsVerdict, foldCrossings } from './nacl-crossings.ts';
import { type AclCrossing, conversationFrom, conversationInto, judgeCrossing } from './nacl-flows.ts';
import type { PortRange } from './nacl-rules.ts';
import type { ServiceOutcome } from './outcomes.ts';
import type { InstanceNetwork } from './picture.ts';

export function judgeEndpointAcls(
  facts: InstanceFacts,
  me: InstanceNetwork & { subnetId: string; privateIp: string },
  endpoint: VpcEndpoint,
  answers: PortRange,
): Omit<ServiceOutcome, 'service'> {
  const endpointId = endpoint.VpcEndpointId ?? 'the endpoint';
  const enis = endpointAddresses(facts, endpoint);
  if (!enis.ok) return { status: 'unknown', detail: enis.reason, evidence: { endpointId } };
  const perEni = enis.addresses.map((eni) => {
    let crossings: AclCrossing[] = [];
    let verdict: CrossingsVerdict = { status: 'allow', detail: '', problems: [], nextSteps: [] };
    if (eni.subnetId !== me.subnetId) {
      crossings = eni.subnetId
        ? [
            ...conversationFrom(
              me.subnetId,
              { kind: 'address', address: eni.address },
              answers,
              'HTTPS to the interface endpoint',
            ),
            ...conversationInto(
              eni.subnetId,
              { kind: 'address', address: me.privateIp },
              answers,
              `HTTPS from instance ${me.instanceId} to the interface endpoint`,
            ),
          ]
        : [];
      verdict = eni.subnetId
        ? foldCrossings(crossings.map((crossing) => judgeCrossing(facts, crossing)))
        : {
            status: 'unknown',
            detail: `network interface ${eni.eniId} has no subnet`,
            problems: [],
            nextSteps: [],
          };
    }
    return { ...eni, crossings, verdict };
  });
  const evidence = {
    endpointId,
    networkInterfaces: Object.fromEntries(
      perEni.map((eni) => [
        eni.eniId,
        {
          subnetId: eni.subnetId,
          address: eni.address,
          status: eni.verdict.status,
          problems: eni.verdict.problems,
        },
      ]),
    ),
  };
  const closed = perEni.filter((eni) => eni.verdict.status !== 'allow');
  if (closed.length === 0) {
    const detail = perEni.every((eni) => eni.crossings.length === 0)
      ? `the interface endpoints sit in subnet ${me.subnetId} with instance ${me.instanceId}, so no network ACL is crossed`
      : `network ACLs allow HTTPS between instance ${me.instanceId} and every interface endpoint network interface`;
    return { status: 'pass', detail, evidence };
  }
  const folded = foldCrossings(
    closed.map((eni) => ({
      status:
        eni.verdict.status === 'fail' ? 'deny' : eni.verdict.status === 'warn' ? 'uncertain' : 'unknown',
      detail: eni.verdict.detail,
    })),
  );
  const nextSteps = [...new Set(closed.flatMap((eni) => eni.verdict.nextSteps))];
  if (closed.length < perEni.length) {
    const subnets = [...new Set(closed.map((eni) => eni.subnetId))].join(', ');
    return {
      status: 'warn',
      detail: `the endpoint network interfaces in subnet ${subnets} cannot be reached (the others can): ${folded.detail}`,
      evidence,
      nextSteps,
    };
  }
  return {
    status: folded.status === 'allow' ? 'pass' : folded.status,
    detail: folded.detail,
    evidence,
    nextSteps,
  };
}
