/**
 * Registration needs the `ssm` path and `ssm:UpdateInstanceInformation` only; the ec2messages /
 * ssmmessages paths and the session actions are degradations (DESIGN.md "What registration needs,
 * and what management needs"). Whole findings from `diagnose`, so the split is what a report says.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../lambdas/engine/diagnose.ts';
import { buildFacts, decisions, dhmcOn, dhmcRole, profile, role } from './instance/facts-builder.ts';
import { factsOf, isolated, tcp, withEndpoints, world } from './network/fixtures.ts';

const networkFinding = (w: ReturnType<typeof world>) => diagnose(factsOf(w));

describe('blocking vs degrading', () => {
  it('a VPC missing only the ssmmessages endpoint degrades: the instance can still register', () => {
    const finding = networkFinding(withEndpoints(isolated(world()), ['ssm', 'ec2messages']));

    expect(finding.causes).not.toContain('VPC_ENDPOINT_MISSING');
    expect(finding.degradations).toEqual(['VPC_ENDPOINT_MISSING']);
    expect(finding.checks.find((c) => c.id === 'network.path.ssmmessages')).toMatchObject({
      status: 'fail',
      cause: 'VPC_ENDPOINT_MISSING',
      degrading: true,
    });
  });

  it('a VPC missing the ssm endpoint blocks, and the same code is not repeated as a degradation', () => {
    const finding = networkFinding(withEndpoints(isolated(world()), ['ec2messages']));

    expect(finding.causes).toContain('VPC_ENDPOINT_MISSING');
    expect(finding.degradations).toEqual([]);
  });

  it('an endpoint security group that lets in only the ssm endpoint degrades the others', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages']);
    // A second group for the messaging endpoints that admits nothing.
    w.securityGroups.push({
      GroupId: 'sg-closed',
      VpcId: 'vpc-1',
      IpPermissions: [],
      IpPermissionsEgress: [],
    });
    for (const endpoint of w.endpoints.filter((e) => !e.ServiceName?.endsWith('.ssm')))
      endpoint.Groups = [{ GroupId: 'sg-closed' }];

    const finding = networkFinding(w);

    // (the network fixture has no profile and DHMC off: that is its one blocking cause)
    expect(finding.causes).toEqual(['NO_INSTANCE_PROFILE']);
    expect(finding.degradations).toEqual(['ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED']);
  });

  it('an instance security group that allows 443 only to the ssm endpoint blocks nothing', () => {
    const w = withEndpoints(isolated(world()), ['ssm', 'ec2messages', 'ssmmessages']);
    const ssmAddress = w.endpointInterfaces.find(
      (e) => e.NetworkInterfaceId === 'eni-ssm-1',
    )?.PrivateIpAddress;
    const group = w.securityGroups.find((g) => g.GroupId === 'sg-inst');
    if (group) group.IpPermissionsEgress = [tcp(443, 443, { IpRanges: [{ CidrIp: `${ssmAddress}/32` }] })];

    const finding = networkFinding(w);

    expect(finding.causes).toEqual(['NO_INSTANCE_PROFILE']);
    expect(finding.degradations).toEqual(['SECURITY_GROUP_EGRESS_BLOCKED']);
  });

  it('a role allowed ssm:UpdateInstanceInformation but not the session actions degrades', () => {
    const sessionless = role({
      attached: [],
      simulated: decisions({
        'ssmmessages:CreateControlChannel': 'implicitDeny',
        'ec2messages:GetMessages': 'implicitDeny',
      }),
    });
    const finding = diagnose(buildFacts({ profile: profile(sessionless) }));

    expect(finding.causes).toEqual([]);
    expect(finding.degradations).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(finding.checks.find((c) => c.id === 'iam.role-permissions')?.summary).toContain('Session Manager');
  });

  it('a DHMC role allowed to register but not to open sessions is a degradation, and DHMC still covers', () => {
    const dhmc = dhmcOn(
      dhmcRole({ attached: [], simulated: decisions({ 'ssmmessages:OpenDataChannel': 'implicitDeny' }) }),
    );
    const finding = diagnose(buildFacts({ profile: null, dhmc }));

    expect(finding.causes).toEqual([]);
    expect(finding.degradations).toEqual(['DHMC_ROLE_INVALID']);
    expect(finding.checks.find((c) => c.id === 'dhmc.role')?.nextSteps?.[0]).toContain(
      'AmazonSSMManagedEC2InstanceDefaultPolicy',
    );
  });

  it('a DHMC role denied ssm:UpdateInstanceInformation blocks', () => {
    const dhmc = dhmcOn(
      dhmcRole({ attached: [], simulated: decisions({ 'ssm:UpdateInstanceInformation': 'implicitDeny' }) }),
    );
    const finding = diagnose(buildFacts({ profile: null, dhmc }));

    expect(finding.causes).toEqual(['DHMC_ROLE_INVALID']);
    expect(finding.degradations).toEqual([]);
  });
});
