/**
 * `network.nacl`: the network ACLs on the way let each service's HTTPS out and its answers back
 * in: the instance subnet's, the NAT gateway subnet's on the NAT path, and the endpoint
 * subnets' on the endpoint path.
 */
import type { Check } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { ephemeralPorts, platformOf } from '../../platform.ts';
import { foldCrossings } from './nacl-crossings.ts';
import { judgeEndpointAcls } from './nacl-endpoint.ts';
import { conversationFrom, conversationInto, judgeCrossing } from './nacl-flows.ts';
import { combineOutcomes, outcomeWithoutDestination, type ServiceOutcome } from './outcomes.ts';
import type { ServicePath } from './path-types.ts';
import { resolveServicePaths } from './paths.ts';
import { instanceOf, withEndpointNetwork } from './picture.ts';

const ID = 'network.nacl';
// A NAT gateway talks to the internet from its own ports, 1024–65535, whatever the instance's OS.
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

function judgeService(instanceFacts: InstanceFacts, path: ServicePath): ServiceOutcome {
  const facts = withEndpointNetwork(instanceFacts, path);
  const me = instanceOf(facts);
  const answers = ephemeralPorts(platformOf(facts.candidate));
  const { subnetId, privateIp } = me;
  if (!subnetId || !privateIp) {
    return {
      service: path.service,
      status: 'unknown',
      detail: `instance ${me.instanceId} has no subnet or private address`,
      evidence: {},
    };
  }
  if (path.destination === 'endpoint' && path.endpoint) {
    const outcome = judgeEndpointAcls(facts, { ...me, subnetId, privateIp }, path.endpoint, answers);
    return { service: path.service, ...outcome, evidence: { ephemeralPorts: answers, ...outcome.evidence } };
  }
  const crossings = conversationFrom(
    subnetId,
    { kind: 'internet' },
    answers,
    'HTTPS to the regional endpoints',
  );
  const nat = path.internet?.evidence.natGatewayId;
  const natSubnet = path.internet?.natSubnetId;
  if (natSubnet && natSubnet !== subnetId) {
    crossings.push(
      ...conversationInto(
        natSubnet,
        { kind: 'address', address: privateIp },
        answers,
        `HTTPS from instance ${me.instanceId} to NAT gateway ${nat}`,
      ),
      ...conversationFrom(
        natSubnet,
        { kind: 'internet' },
        NAT_PORTS,
        `HTTPS from NAT gateway ${nat} to the regional endpoints`,
      ),
    );
  }
  const results = crossings.map((crossing) => judgeCrossing(facts, crossing));
  const verdict = foldCrossings(results);
  const evidence = {
    ephemeralPorts: answers,
    crossings: crossings.map((c, i) => ({
      subnetId: c.subnetId,
      networkAclId: results[i]?.aclId,
      direction: c.direction,
      ports: `${c.ports.from}-${c.ports.to}`,
      peer: c.peer.kind === 'address' ? c.peer.address : '0.0.0.0/0',
      status: results[i]?.status,
    })),
    problems: verdict.problems,
  };
  if (verdict.status === 'allow') {
    const acls = [...new Set(results.map((r) => r.aclId))];
    const who = acls.length > 1 ? `network ACLs ${acls.join(', ')} allow` : `network ACL ${acls[0]} allows`;
    return {
      service: path.service,
      status: 'pass',
      detail: `${who} HTTPS out to 0.0.0.0/0 and TCP ${answers.from}-${answers.to} back in`,
      evidence,
    };
  }
  return {
    service: path.service,
    status: verdict.status,
    detail: verdict.detail,
    evidence,
    nextSteps: verdict.nextSteps,
  };
}
