/**
 * `network.dns`: the instance can resolve the service hostnames. The VPC's DHCP options should
 * hand out the Amazon DNS server (custom servers must forward to the Route 53 Resolver, the only
 * one that answers interface endpoints' private names), and `enableDnsSupport` must be on for
 * that server to answer. Warnings only: these have no cause code.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import { ssmInterfaceEndpoints } from './endpoints.ts';
import { resolverAddress } from './ipv4.ts';
import { instanceOf, unreadable } from './picture.ts';
import { SSM_SERVICES, serviceHostname } from './services.ts';
import { joinNames } from './wording.ts';

const ID = 'network.dns';
const LINK_LOCAL_RESOLVER = '169.254.169.253';

export const dnsCheck: Check = {
  id: ID,
  title: 'The VPC hands out a DNS server that resolves the SSM service hostnames',
  reads: ['network'],
  evaluate(facts): CheckResult {
    const { dhcpOptions, dnsAttributes, vpc } = facts.network;
    if (!dhcpOptions.ok)
      return result.unknown(ID, `Cannot check DNS: ${unreadable('DHCP options', dhcpOptions)}.`);
    const vpcId = instanceOf(facts).vpcId ?? 'the VPC';
    const resolver = vpc.ok && vpc.value.CidrBlock ? resolverAddress(vpc.value.CidrBlock) : undefined;
    const hostnames = joinNames(
      SSM_SERVICES.map((service) => serviceHostname(service, facts.region, facts.partition)),
    );
    const options = dhcpOptions.value;
    const servers =
      options?.DhcpConfigurations?.find((c) => c.Key === 'domain-name-servers')?.Values?.flatMap((v) =>
        v.Value ? [v.Value] : [],
      ) ?? [];
    const amazonDns = servers.some(
      (s) => s === 'AmazonProvidedDNS' || s === LINK_LOCAL_RESOLVER || s === resolver,
    );
    const evidence: Record<string, unknown> = {
      dhcpOptionsId: options?.DhcpOptionsId ?? null,
      domainNameServers: servers,
      resolverAddress: resolver ?? null,
    };
    const warnings: string[] = [];
    const nextSteps: string[] = [];
    if (!options) {
      warnings.push(
        `VPC ${vpcId} has no DHCP options set: Nitro instances fall back to the Amazon DNS server ${LINK_LOCAL_RESOLVER}, Xen-based instances get no DNS server at all`,
      );
      nextSteps.push(
        `Give VPC ${vpcId} DHCP options with the Amazon DNS server: aws ec2 create-dhcp-options --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS', then aws ec2 associate-dhcp-options --vpc-id ${vpcId} --dhcp-options-id <the new dopt id>`,
      );
    } else if (!amazonDns) {
      const given = servers.length > 0 ? `custom DNS servers ${servers.join(', ')}` : 'no DNS servers';
      const at = resolver ? `at ${resolver}` : '(the VPC base address plus two)';
      warnings.push(
        `DHCP options ${options.DhcpOptionsId} of VPC ${vpcId} hand out ${given} instead of AmazonProvidedDNS, so ${hostnames} resolve only if they forward to the Route 53 Resolver ${at}`,
      );
      nextSteps.push(
        `Make ${servers.join(', ') || 'the DNS servers'} forward amazonaws.com queries to the Route 53 Resolver ${at} (interface endpoints' private names are answered only there), or add AmazonProvidedDNS to the DHCP options of VPC ${vpcId}`,
      );
    }
    if (dnsAttributes.ok) {
      evidence.enableDnsSupport = dnsAttributes.value.enableDnsSupport;
      if (!dnsAttributes.value.enableDnsSupport && (amazonDns || !options)) {
        warnings.push(
          `VPC ${vpcId} has enableDnsSupport off, so the Amazon DNS server does not answer and the instance cannot resolve ${hostnames}`,
        );
        nextSteps.push(
          `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-support '{"Value":true}'`,
        );
      }
    } else {
      evidence.enableDnsSupport = unreadable('the VPC DNS attributes', dnsAttributes);
    }
    if (warnings.length > 0) return result.warn(ID, `${warnings.join('; ')}.`, evidence, nextSteps);
    // The DNS attributes are read only when the VPC has SSM interface endpoints; then they matter here too.
    const hasEndpoints =
      facts.network.endpoints.ok && ssmInterfaceEndpoints(facts, facts.network.endpoints.value).length > 0;
    if (!dnsAttributes.ok && hasEndpoints) {
      return result.unknown(
        ID,
        `Cannot tell whether the Amazon DNS server answers in VPC ${vpcId}: ${evidence.enableDnsSupport}.`,
        evidence,
      );
    }
    return result.pass(
      ID,
      `VPC ${vpcId} hands out the Amazon DNS server (DHCP options ${options?.DhcpOptionsId}).`,
      evidence,
    );
  },
};
