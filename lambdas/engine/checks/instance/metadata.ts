/**
 * `instance.metadata`: the agent gets its identity, region and credentials (profile or DHMC) from
 * IMDS. A disabled endpoint leaves it blind; optional tokens still work but allow IMDSv1.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import { isIpv6Only } from '../network/ipv6-only.ts';

const ID = 'instance.metadata';

export const instanceMetadataCheck: Check = {
  id: ID,
  title: 'The instance metadata service is enabled (and IMDSv2 enforced)',
  reads: ['runningInstances', 'network'],
  evaluate(facts): CheckResult {
    const { InstanceId, MetadataOptions } = facts.candidate.instance;
    const instanceId = InstanceId ?? 'the instance';
    if (!MetadataOptions) {
      return result.pass(
        ID,
        `EC2 reports no metadata options for ${instanceId}; the defaults keep IMDS enabled.`,
        {
          note: 'MetadataOptions missing: defaults apply (endpoint enabled)',
        },
      );
    }
    const evidence = {
      httpEndpoint: MetadataOptions.HttpEndpoint ?? 'enabled',
      httpTokens: MetadataOptions.HttpTokens ?? 'not reported',
      hopLimit: MetadataOptions.HttpPutResponseHopLimit,
    };
    const modify = `aws ec2 modify-instance-metadata-options --region ${facts.region} --instance-id ${instanceId}`;
    if (MetadataOptions.HttpEndpoint === 'disabled') {
      // Nothing can be using IMDSv1 while the endpoint is off, so enabling it with tokens required is safe.
      return result.fail(
        ID,
        'IMDS_DISABLED',
        `The instance metadata endpoint of ${instanceId} is disabled, so the agent has no identity or credentials.`,
        evidence,
        [`${modify} --http-endpoint enabled --http-tokens required`],
      );
    }
    if (isIpv6Only(facts) && MetadataOptions.HttpProtocolIpv6 !== 'enabled') {
      // An IPv6-only instance reaches IMDS only at [fd00:ec2::254].
      return result.fail(
        ID,
        'IMDS_DISABLED',
        `${instanceId} is in an IPv6-only subnet and its IPv6 metadata endpoint is off (HttpProtocolIpv6=${MetadataOptions.HttpProtocolIpv6 ?? 'disabled'}), so the agent has no identity or credentials.`,
        { ...evidence, httpProtocolIpv6: MetadataOptions.HttpProtocolIpv6 ?? 'disabled' },
        [`${modify} --http-protocol-ipv6 enabled`],
      );
    }
    if (MetadataOptions.HttpTokens === 'optional') {
      return result.warn(
        ID,
        `${instanceId} allows IMDSv1 (HttpTokens=optional); the agent works, but IMDSv2 should be enforced.`,
        evidence,
        [
          `Check the CloudWatch metric MetadataNoToken for ${instanceId} is 0 (nothing still uses IMDSv1), then: ${modify} --http-tokens required --http-endpoint enabled`,
        ],
      );
    }
    const tokens =
      MetadataOptions.HttpTokens === 'required' ? 'with IMDSv2 required' : '(token setting not reported)';
    return result.pass(ID, `The instance metadata endpoint of ${instanceId} is enabled ${tokens}.`, evidence);
  },
};
