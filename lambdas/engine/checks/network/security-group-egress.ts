/** `network.security-group-egress`: an instance security group lets TCP 443 out to each service's destination. */
import type { Check } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { endpointAddresses, endpointGroupIds } from './endpoint-interfaces.ts';
import { combineOutcomes, outcomeOf, outcomeWithoutDestination, type ServiceOutcome } from './outcomes.ts';
import type { ServicePath } from './path-types.ts';
import { resolveServicePaths } from './paths.ts';
import { groupsById, instanceOf, unreadable, withEndpointNetwork } from './picture.ts';
import { judgeRules, type SgPeer } from './security-group-rules.ts';

const ID = 'network.security-group-egress';

export const securityGroupEgressCheck: Check = {
  id: ID,
  title: 'A security group of the instance allows TCP 443 out to each SSM service destination',
  reads: ['network'],
  evaluate: (facts) =>
    combineOutcomes(
      ID,
      'SECURITY_GROUP_EGRESS_BLOCKED',
      resolveServicePaths(facts).map((path) => outcomeWithoutDestination(path) ?? judgeEgress(facts, path)),
      'No SSM service has a network path, so there is no outbound traffic to check.',
    ),
};

function judgeEgress(instanceFacts: InstanceFacts, path: ServicePath): ServiceOutcome {
  const facts = withEndpointNetwork(instanceFacts, path);
  const me = instanceOf(facts);
  const { securityGroups } = facts.network;
  const outcome = outcomeOf(path.service);
  if (!securityGroups.ok) return outcome('unknown', unreadable('security groups', securityGroups) ?? '');
  if (me.groupIds.length === 0)
    return outcome('unknown', `instance ${me.instanceId} lists no security groups`);
  const { found, missing } = groupsById(securityGroups.value, me.groupIds);
  let peer: SgPeer = { kind: 'internet' };
  let destination = '0.0.0.0/0';
  let suggested = 'IpRanges=[{CidrIp=0.0.0.0/0}]';
  let addressProblem: string | undefined;
  if (path.destination === 'endpoint' && path.endpoint) {
    const groupIds = endpointGroupIds(path.endpoint);
    const enis = endpointAddresses(facts, path.endpoint);
    peer = { kind: 'known', groupIds, addresses: enis.ok ? enis.addresses.map((a) => a.address) : [] };
    addressProblem = enis.ok ? undefined : enis.reason;
    destination = `interface endpoint ${path.endpoint.VpcEndpointId}`;
    suggested = groupIds[0]
      ? `UserIdGroupPairs=[{GroupId=${groupIds[0]}}]`
      : 'IpRanges=[{CidrIp=<endpoint subnet CIDR>}]';
  }
  const verdict = judgeRules(found, 'egress', peer);
  const evidence = {
    groupIds: me.groupIds,
    missingGroupIds: missing,
    allowedBy: verdict.allowedBy,
    mayAllow: verdict.mayAllow,
  };
  if (verdict.status === 'allow') {
    return outcome('pass', `${verdict.allowedBy[0]} allows TCP 443 out to ${destination}`, evidence);
  }
  if (missing.length > 0) {
    return outcome(
      'unknown',
      `security groups ${missing.join(', ')} of instance ${me.instanceId} are not in the network picture`,
      evidence,
    );
  }
  if (addressProblem && verdict.status !== 'partial') return outcome('unknown', addressProblem, evidence);
  if (verdict.status === 'partial') {
    return outcome(
      'warn',
      `the security groups of instance ${me.instanceId} allow TCP 443 out to only some addresses of ${destination} (not ${verdict.uncovered.join(', ')})`,
      evidence,
    );
  }
  if (verdict.status === 'uncertain') {
    return outcome(
      'warn',
      `the security groups of instance ${me.instanceId} allow TCP 443 out only by ${verdict.mayAllow.join(', ')}; verify it covers ${destination}`,
      evidence,
    );
  }
  return outcome(
    'fail',
    `no security group of instance ${me.instanceId} (${me.groupIds.join(', ')}) allows TCP 443 out to ${destination}`,
    evidence,
    [
      `Allow HTTPS out: aws ec2 authorize-security-group-egress --group-id ${me.groupIds[0]} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,${suggested}'`,
    ],
  );
}
