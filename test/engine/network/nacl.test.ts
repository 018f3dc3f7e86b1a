import { describe, expect, it } from 'vitest';
import { networkChecks } from '../../../lambdas/engine/checks/network/index.ts';
import { networkAclCheck } from '../../../lambdas/engine/checks/network/nacl.ts';
import {
  acl,
  aclEntry,
  behindNat,
  denied,
  factsOf,
  isolated,
  openEntries,
  run,
  type World,
  withEndpoints,
  world,
} from './fixtures.ts';

const ALL = ['ssm', 'ec2messages', 'ssmmessages'];

/** subnet-1 gets its own ACL with these entries (the `*` rules are added). */
function instanceAcl(w: World, entries: Parameters<typeof acl>[2]): World {
  w.networkAcls.push(acl('acl-app', ['subnet-1'], entries));
  return w;
}

const outHttps = aclEntry(100, 'out', 'allow', '0.0.0.0/0', [443, 443]);

describe('network.nacl — internet path', () => {
  it('passes with the default ACL allowing everything', () => {
    const result = run(networkAclCheck, world());

    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'Network ACL acl-default allows HTTPS out to 0.0.0.0/0 and TCP 32768-60999 back in (for ssm, ec2messages and ssmmessages).',
    );
  });

  it('fails with NACL_BLOCKED when a deny comes before the allow, with the entry to add', () => {
    const w = instanceAcl(world(), [aclEntry(90, 'out', 'deny', '0.0.0.0/0', [443, 443]), ...openEntries()]);

    const result = run(networkAclCheck, w);

    expect(result.status).toBe('fail');
    expect(result.cause).toBe('NACL_BLOCKED');
    expect(result.summary).toBe(
      'Network ACL acl-app of subnet subnet-1 denies outbound TCP 443 (rule 90) to 0.0.0.0/0, needed for HTTPS to the regional endpoints (for ssm, ec2messages and ssmmessages).',
    );
    expect(result.nextSteps).toEqual([
      'aws ec2 create-network-acl-entry --network-acl-id acl-app --egress --rule-number 80 --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow',
    ]);
  });

  it('passes when the allow comes before the deny', () => {
    const w = instanceAcl(world(), [
      outHttps,
      aclEntry(110, 'out', 'deny', '0.0.0.0/0'),
      aclEntry(100, 'in', 'allow', '0.0.0.0/0', [1024, 65535]),
    ]);

    expect(run(networkAclCheck, w).status).toBe('pass');
  });

  it('passes Linux and blocks Windows when only 32768-60999 is allowed back in', () => {
    const linux = instanceAcl(world(), [outHttps, aclEntry(100, 'in', 'allow', '0.0.0.0/0', [32768, 60999])]);
    const windows = instanceAcl(world(), [
      outHttps,
      aclEntry(100, 'in', 'allow', '0.0.0.0/0', [32768, 60999]),
    ]);
    windows.candidate.information = { PlatformType: 'Windows' };

    const windowsResult = run(networkAclCheck, windows);

    expect(run(networkAclCheck, linux).status).toBe('pass');
    expect(windowsResult.cause).toBe('NACL_BLOCKED');
    expect(windowsResult.summary).toContain('denies inbound TCP 61000-65535 (rule *) from 0.0.0.0/0');
    expect(windowsResult.evidence).toMatchObject({
      services: { ssm: { ephemeralPorts: { from: 49152, to: 65535 } } },
    });
    expect(windowsResult.nextSteps).toContain(
      'aws ec2 create-network-acl-entry --network-acl-id acl-app --ingress --rule-number 32760 --protocol tcp --port-range From=49152,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow',
    );
  });

  it('warns, and does not fail, when a narrower allow precedes the /0 deny', () => {
    const w = instanceAcl(world(), [
      aclEntry(100, 'out', 'allow', '52.94.0.0/16', [443, 443]),
      aclEntry(200, 'out', 'deny', '0.0.0.0/0'),
      aclEntry(100, 'in', 'allow', '0.0.0.0/0'),
    ]);

    const result = run(networkAclCheck, w);

    expect(result.status).toBe('warn');
    expect(result.cause).toBeUndefined();
    expect(result.summary).toContain(
      'allows outbound TCP 443 only to 52.94.0.0/16 (rule 100) before rule 200 denies 0.0.0.0/0; verify it covers the regional service addresses',
    );
  });

  it('checks the NAT gateway subnet too: its return traffic comes back on 1024-65535', () => {
    const w = behindNat(world());
    w.networkAcls.push(
      acl(
        'acl-public',
        ['subnet-public'],
        [
          aclEntry(100, 'out', 'allow', '0.0.0.0/0'),
          aclEntry(100, 'in', 'allow', '0.0.0.0/0', [32768, 65535]),
        ],
      ),
    );

    const result = run(networkAclCheck, w);

    expect(result.cause).toBe('NACL_BLOCKED');
    expect(result.summary).toBe(
      'Network ACL acl-public of subnet subnet-public denies inbound TCP 443 (rule *) from 10.0.1.10, needed for HTTPS from instance i-1 to NAT gateway nat-1 (and 1 more blocked crossing) (for ssm, ec2messages and ssmmessages).',
    );
    expect(result.evidence).toMatchObject({
      services: {
        ssm: {
          problems: [
            'network ACL acl-public of subnet subnet-public denies inbound TCP 443 (rule *) from 10.0.1.10, needed for HTTPS from instance i-1 to NAT gateway nat-1',
            'network ACL acl-public of subnet subnet-public denies inbound TCP 1024-32767 (rule *) from 0.0.0.0/0, needed for the answers to HTTPS from NAT gateway nat-1 to the regional endpoints',
          ],
        },
      },
    });
  });

  it('is unknown with the reason when the ACLs could not be read, while the other checks still evaluate', () => {
    const w = world();
    w.failures.networkAcls = denied('DescribeNetworkAcls');

    const results = networkChecks.flatMap((check) => check.evaluate(factsOf(w)));

    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['network.path.ssm', 'pass'],
      ['network.path.ec2messages', 'pass'],
      ['network.path.ssmmessages', 'pass'],
      ['network.security-group-egress', 'pass'],
      ['network.endpoint-security-group-ingress', 'skip'],
      ['network.nacl', 'unknown'],
      ['network.dns', 'pass'],
    ]);
    expect(results[5]?.summary).toContain('DescribeNetworkAcls failed with UnauthorizedOperation');
  });

  it('skips when no service has a path', () => {
    expect(run(networkAclCheck, isolated(world())).status).toBe('skip');
  });
});

describe('network.nacl — endpoint path', () => {
  it('passes when the endpoints sit in the instance subnet, even behind an ACL that blocks everything', () => {
    const w = instanceAcl(withEndpoints(isolated(world()), ALL, { subnets: ['subnet-1'] }), []);

    const result = run(networkAclCheck, w);

    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'The interface endpoints sit in subnet subnet-1 with instance i-1, so no network ACL is crossed (for ssm, ec2messages and ssmmessages).',
    );
  });

  it('fails when the endpoint subnet ACL does not let HTTPS in from the instance', () => {
    const w = withEndpoints(isolated(world()), ALL);
    w.networkAcls.push(
      acl(
        'acl-ep',
        ['subnet-ep'],
        [aclEntry(100, 'in', 'allow', '10.0.2.0/24', [443, 443]), aclEntry(100, 'out', 'allow', '0.0.0.0/0')],
      ),
    );

    const result = run(networkAclCheck, w);

    expect(result.cause).toBe('NACL_BLOCKED');
    expect(result.summary).toContain(
      'Network ACL acl-ep of subnet subnet-ep denies inbound TCP 443 (rule *) from 10.0.1.10, needed for HTTPS from instance i-1 to the interface endpoint (for ssm, ec2messages and ssmmessages).',
    );
    expect(result.nextSteps).toContain(
      'aws ec2 create-network-acl-entry --network-acl-id acl-ep --ingress --rule-number 32760 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.1.10/32 --rule-action allow',
    );
  });

  it('fails when the instance subnet ACL lets HTTPS out but not the answers from the endpoint back in', () => {
    const w = instanceAcl(withEndpoints(isolated(world()), ALL), [
      aclEntry(100, 'out', 'allow', '10.0.0.0/16'),
      aclEntry(100, 'in', 'allow', '10.0.0.0/16', [0, 1023]),
    ]);

    const result = run(networkAclCheck, w);

    expect(result.cause).toBe('NACL_BLOCKED');
    expect(result.summary).toContain('denies inbound TCP 32768-60999 (rule *) from 10.0.9.100');
  });

  it('warns when only some network interfaces of an endpoint can be reached', () => {
    const w = withEndpoints(isolated(world()), ALL, { subnets: ['subnet-ep', 'subnet-ep2'] });
    w.networkAcls.push(acl('acl-ep2', ['subnet-ep2'], []));

    const result = run(networkAclCheck, w);

    expect(result.status).toBe('warn');
    expect(result.summary).toContain(
      'The endpoint network interfaces in subnet subnet-ep2 cannot be reached (the others can): network ACL acl-ep2 of subnet subnet-ep2 denies inbound TCP 443 (rule *) from 10.0.1.10',
    );
    expect(result.evidence).toMatchObject({
      services: {
        ssm: {
          networkInterfaces: {
            'eni-ssm-1': { status: 'allow' },
            'eni-ssm-2': { status: 'fail', subnetId: 'subnet-ep2' },
          },
        },
      },
    });
  });

  it('is unknown when the endpoint network interfaces are not in the picture', () => {
    const w = withEndpoints(isolated(world()), ALL);
    w.endpointInterfaces = [];

    const result = run(networkAclCheck, w);

    expect(result.status).toBe('unknown');
    expect(result.summary).toBe(
      'Network interface eni-ssm-1 of interface endpoint vpce-ssm is not in the network picture (for ssm); network interface eni-ec2messages-1 of interface endpoint vpce-ec2messages is not in the network picture (for ec2messages); and 1 more (see evidence).',
    );
  });
});
