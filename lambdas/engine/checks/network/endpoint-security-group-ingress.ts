/** `network.endpoint-security-group-ingress`: each endpoint in use lets TCP 443 in from the instance. */
import type { Check } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { endpointGroupIds } from './endpoint-interfaces.ts';
import { combineOutcomes, outcomeOf, type ServiceOutcome } from './outcomes.ts';
import type { ServicePath } from './path-types.ts';
import { resolveServicePaths } from './paths.ts';
import { groupsById, instanceOf, unreadable, withEndpointNetwork } from './picture.ts';
import { judgeRules } from './security-group-rules.ts';

const ID = 'network.endpoint-security-group-ingress';

export const endpointSecurityGroupIngressCheck: Check = {
  id: ID,
  title: 'The security groups of the interface endpoints in use allow TCP 443 in from the instance',
  reads: ['network'],
  evaluate: (facts) =>
    combineOutcomes(
      ID,
      'ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED',
      resolveServicePaths(facts).map((path) => judgeIngress(facts, path)),
      'No SSM service is reached through an interface endpoint.',
    ),
};

function judgeIngress(instanceFacts: InstanceFacts, path: ServicePath): ServiceOutcome {
  const facts = withEndpointNetwork(instanceFacts, path);
  const outcome = outcomeOf(path.service);
  if (path.destination !== 'endpoint' || !path.endpoint) {
    // A path still unknown may turn out to use the endpoint found; a known other path does not.
    return path.path === 'unknown' && path.endpoint && !path.destination
      ? outcome(
          'unknown',
          `it is not known whether ${path.hostname} uses interface endpoint ${path.endpoint.VpcEndpointId}`,
        )
      : outcome('skip', `${path.service} does not use an interface endpoint`);
  }
  const me = instanceOf(facts);
  const endpointId = path.endpoint.VpcEndpointId ?? 'the endpoint';
  const { securityGroups } = facts.network;
  if (!securityGroups.ok) return outcome('unknown', unreadable('security groups', securityGroups) ?? '');
  const groupIds = endpointGroupIds(path.endpoint);
  if (groupIds.length === 0)
    return outcome('unknown', `interface endpoint ${endpointId} lists no security groups`);
  const { found, missing } = groupsById(securityGroups.value, groupIds);
  const verdict = judgeRules(found, 'ingress', {
    kind: 'known',
    addresses: me.privateIp ? [me.privateIp] : [],
    groupIds: me.groupIds,
  });
  const evidence = {
    endpointId,
    groupIds,
    missingGroupIds: missing,
    allowedBy: verdict.allowedBy,
    mayAllow: verdict.mayAllow,
  };
  const from = `instance ${me.instanceId} (${[me.privateIp, ...me.groupIds].filter(Boolean).join(', ')})`;
  if (verdict.status === 'allow' || verdict.status === 'partial') {
    return outcome(
      'pass',
      `${verdict.allowedBy[0]} of interface endpoint ${endpointId} allows TCP 443 in from ${from}`,
      evidence,
    );
  }
  if (missing.length > 0) {
    return outcome(
      'unknown',
      `security groups ${missing.join(', ')} of interface endpoint ${endpointId} are not in the network picture`,
      evidence,
    );
  }
  if (verdict.status === 'uncertain') {
    return outcome(
      'warn',
      `the security groups of interface endpoint ${endpointId} allow TCP 443 in only by ${verdict.mayAllow.join(', ')}; verify it covers ${from}`,
      evidence,
    );
  }
  const source = me.groupIds[0]
    ? `UserIdGroupPairs=[{GroupId=${me.groupIds[0]}}]`
    : `IpRanges=[{CidrIp=${me.privateIp}/32}]`;
  return outcome(
    'fail',
    `no security group of interface endpoint ${endpointId} (${groupIds.join(', ')}) allows TCP 443 in from ${from}`,
    evidence,
    [
      `Allow HTTPS in to the endpoint: aws ec2 authorize-security-group-ingress --group-id ${groupIds[0]} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,${source}'`,
    ],
  );
}
