/**
 * How each SSM service is reached from one instance: through an interface endpoint, through the
 * internet (internet or NAT gateway), not at all (with the one cause to blame), or unknown.
 * Several checks read this, so it is computed once per facts object.
 */
import type { InstanceFacts } from '../../facts.ts';
import { resolveCentralizedPath } from './centralized.ts';
import { type EndpointUse, endpointUseFor, ssmInterfaceEndpoints } from './endpoints.ts';
import { resolveInternetPath } from './internet-path.ts';
import { isIpv6Only, resolveIpv6Path } from './ipv6-only.ts';
import { blameNoPath } from './no-path.ts';
import type { InternetPath, ServicePath } from './path-types.ts';
import { unreadable } from './picture.ts';
import { SSM_SERVICES, type SsmService, serviceHostname } from './services.ts';

const memo = new WeakMap<InstanceFacts, readonly ServicePath[]>();

/** One entry per service, in `SSM_SERVICES` order. */
export function resolveServicePaths(facts: InstanceFacts): readonly ServicePath[] {
  let paths = memo.get(facts);
  if (!paths) {
    paths = SSM_SERVICES.map((service) => resolveServicePath(facts, service));
    memo.set(facts, paths);
  }
  return paths;
}

function resolveServicePath(facts: InstanceFacts, service: SsmService): ServicePath {
  const hostname = serviceHostname(service, facts.region, facts.partition);
  const base = { service, hostname };
  const { endpoints } = facts.network;
  if (!endpoints.ok) {
    const internet = resolveInternetPath(facts);
    return {
      ...base,
      path: 'unknown',
      summary: `Cannot tell how ${hostname} is reached: ${unreadable('VPC endpoints', endpoints)}; without an interface endpoint, ${internetOutcome(internet)}.`,
      nextSteps: [],
      internet,
      evidence: { path: 'unknown', hostname, internet: internet.evidence },
    };
  }
  const all = ssmInterfaceEndpoints(facts, endpoints.value);
  const use = endpointUseFor(facts, all, service);
  // An IPv6-only subnet has no IPv4 path at all: judge it on IPv6 only.
  if (isIpv6Only(facts)) return resolveIpv6Path(facts, service, hostname, use);
  const endpointEvidence = use ? endpointEvidenceOf(use) : {};
  if (use?.status === 'usable' && use.policy?.decision === 'denies') {
    // Private DNS sends the name to this endpoint: no other path can carry it.
    return {
      ...base,
      path: 'none',
      cause: 'VPC_ENDPOINT_POLICY_DENIES',
      summary: `${hostname} resolves to ${use.detail}, whose endpoint policy does not allow ${use.policy.actions.join(', ')} for the instance's role.`,
      nextSteps: [
        `Allow the agent's actions in the policy of ${use.id} (or restore full access: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${use.id} --reset-policy)`,
      ],
      endpoint: use.endpoint,
      evidence: { path: 'none', hostname, ...endpointEvidence, endpointPolicyDenies: use.policy.actions },
    };
  }
  if (use?.status === 'usable') {
    const policyDoubt =
      use.policy && use.policy.decision !== 'allows'
        ? `the policy of ${use.id} allows ${use.policy.actions.join(', ')} only under conditions (or could not be read): verify they hold for the agent's calls`
        : undefined;
    return {
      ...(policyDoubt ? { warning: policyDoubt } : {}),
      ...base,
      path: 'endpoint',
      summary: `${hostname} is reached through ${use.detail}.`,
      nextSteps: [],
      destination: 'endpoint',
      endpoint: use.endpoint,
      evidence: { path: 'endpoint', hostname, ...endpointEvidence },
    };
  }
  // Without a usable endpoint of its own, a private hosted zone or Resolver rule of the VPC may
  // answer the name (the centralized-endpoint pattern): then that answer is the path.
  const centralized = resolveCentralizedPath(facts, service, hostname);
  if (centralized) return centralized;
  if (use?.status === 'unknown') {
    return {
      ...base,
      path: 'unknown',
      summary: `Cannot tell whether ${hostname} uses ${use.detail}.`,
      nextSteps: [],
      endpoint: use.endpoint,
      evidence: { path: 'unknown', hostname, ...endpointEvidence },
    };
  }
  const internet = resolveInternetPath(facts);
  const evidence = { hostname, ...endpointEvidence, ...internet.evidence };
  const withEndpoint = use ? { endpoint: use.endpoint } : {};
  if (internet.status === 'ok') {
    const bypass = use ? `; ${use.detail}, so it is bypassed` : '';
    return {
      ...base,
      ...withEndpoint,
      path: 'internet',
      summary: `${hostname} is reached through ${internet.detail}${bypass}.`,
      nextSteps: [],
      destination: 'internet',
      internet,
      evidence: { path: 'internet', ...evidence, ...(use ? { endpointBypassed: use.id } : {}) },
    };
  }
  if (internet.status === 'unknown') {
    const endpointNote = use ? ` (${use.detail})` : '';
    return {
      ...base,
      ...withEndpoint,
      path: 'unknown',
      summary: `Cannot tell whether ${hostname} is reachable: ${internet.detail}${endpointNote}.`,
      nextSteps: internet.fix ? [internet.fix] : [],
      ...(internet.towardsInternet ? { destination: 'internet' as const } : {}),
      internet,
      evidence: { path: 'unknown', ...evidence },
    };
  }
  const privateDns = facts.network.privateDns;
  if (privateDns && !privateDns.ok) {
    // A private hosted zone or Resolver rule could be carrying the name elsewhere: not a cause.
    const blamed = blameNoPath(facts, service, all, use, internet);
    return {
      ...base,
      ...withEndpoint,
      path: 'unknown',
      summary: `${blamed.summary.replace(/\.$/, '')}, unless a private hosted zone or Resolver rule of the VPC answers ${hostname}: ${unreadable('them', privateDns)}.`,
      nextSteps: blamed.nextSteps,
      internet,
      evidence: { path: 'unknown', ...evidence, wouldBe: blamed.cause },
    };
  }
  return {
    ...base,
    ...withEndpoint,
    ...blameNoPath(facts, service, all, use, internet),
    internet,
    evidence: { path: 'none', ...evidence },
  };
}

function internetOutcome(internet: InternetPath): string {
  if (internet.status === 'ok') return `it would go through ${internet.detail}`;
  return internet.detail;
}

function endpointEvidenceOf(use: EndpointUse): Record<string, unknown> {
  return {
    endpointId: use.id,
    endpointState: use.endpoint.State,
    privateDnsEnabled: use.endpoint.PrivateDnsEnabled ?? false,
  };
}
