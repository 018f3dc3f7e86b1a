/**
 * Every IAM layer, end to end: the simulated account evaluates identity policies, explicit denies,
 * the permissions boundary and SCPs for the context the adapter sends, and the finding names the
 * deciding layer. Each world is sample-fleet.json with one thing changed on kafka-broker-2's role
 * (Core attached, nothing else wrong) and DHMC off, so the profile alone decides.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../lambdas/sim/index.ts';
import { exampleWorld, findingOf, scanWorld } from './scan-world.ts';

type Role = World['iam']['Roles'][number];

async function kafkaBroker(change: (role: Role, world: World) => void) {
  const world = await exampleWorld('sample-fleet.json');
  for (const setting of world.ssm.ServiceSettings) setting.SettingValue = '$None';
  const role = world.iam.Roles.find((r) => r.RoleName === 'kafka-broker-role');
  if (!role) throw new Error('kafka-broker-role is not in sample-fleet.json');
  // Its console shows the agent crashing (AGENT_NOT_RUNNING): drop it so IAM alone speaks.
  const id = world.ec2.Instances.find((i) => i.Tags?.some((t) => t.Value === 'kafka-broker-2'))?.InstanceId;
  if (id) delete world.ec2.ConsoleOutput[id];
  change(role, world);
  const scanned = await scanWorld(world);
  const finding = findingOf(scanned, 'kafka-broker-2');
  const check = finding.checks.find((c) => c.id === 'iam.role-permissions');
  return { finding, check, calls: scanned.account.callCounts() };
}

const inline = (PolicyName: string, Statement: unknown[]) => ({
  PolicyName,
  PolicyDocument: { Version: '2012-10-17', Statement } as never,
});

describe('every IAM layer decides "allowed"', () => {
  it('as before, Core alone passes (and is still simulated: evidence, not proof)', async () => {
    const { finding, check, calls } = await kafkaBroker(() => {});
    expect(check?.status).toBe('pass');
    expect(finding.causes).toEqual([]);
    expect(calls['iam:SimulatePrincipalPolicy']).toBeGreaterThan(0);
  });

  it('Core plus an inline Deny ssmmessages:* degrades, named as the identity policy', async () => {
    const { finding, check } = await kafkaBroker((role) => {
      role.RolePolicies = [
        inline('no-sessions', [{ Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' }]),
      ];
    });
    expect(finding.causes).toEqual([]);
    expect(finding.degradations).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(check?.evidence.decidingLayers).toMatchObject({
      'ssmmessages:OpenDataChannel': ['identity policy'],
    });
  });

  it('Core under a boundary that allows only s3:* and logs:* blocks registration, naming the boundary', async () => {
    const { finding, check } = await kafkaBroker((role, world) => {
      const arn = `arn:aws:iam::${world.accountId}:policy/s3-logs-only`;
      world.iam.Policies.push({
        Arn: arn,
        PolicyName: 's3-logs-only',
        Document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' }],
        },
      } as World['iam']['Policies'][number]);
      role.PermissionsBoundary = { PermissionsBoundaryArn: arn, PermissionsBoundaryType: 'Policy' } as never;
    });
    expect(finding.causes).toContain('ROLE_MISSING_SSM_PERMISSIONS');
    expect(check?.summary).toContain('permissions boundary');
  });

  it('an SCP denying ssm:UpdateInstanceInformation blocks, naming the service control policy', async () => {
    const { finding, check } = await kafkaBroker((_role, world) => {
      world.organizations = {
        ServiceControlPolicies: [
          {
            PolicyId: 'p-FullAWSAccess',
            Name: 'FullAWSAccess',
            Content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          },
          {
            PolicyId: 'p-nossm0000',
            Name: 'no-ssm-registration',
            Content: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }],
            },
          },
        ],
      } as World['organizations'];
    });
    expect(finding.causes).toContain('ROLE_MISSING_SSM_PERMISSIONS');
    expect(check?.summary).toContain('service control policy');
  });

  it('an organization whose SCPs allow nothing for ssm blocks too (an SCP must allow)', async () => {
    const { finding } = await kafkaBroker((_role, world) => {
      world.organizations = {
        ServiceControlPolicies: [
          {
            PolicyId: 'p-s3only0000',
            Content: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
            },
          },
        ],
      } as World['organizations'];
    });
    expect(finding.causes).toContain('ROLE_MISSING_SSM_PERMISSIONS');
  });

  it('a deny on insecure transport does not apply: the simulation is told the agent uses HTTPS', async () => {
    const { check } = await kafkaBroker((role) => {
      role.RolePolicies = [
        inline('tls-only', [
          {
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      ];
    });
    expect(check?.status).toBe('pass');
  });

  it('an allow that holds only from a VPC the simulation cannot know is a warn naming the key', async () => {
    const { finding, check } = await kafkaBroker((role) => {
      role.AttachedPolicies = [];
      role.RolePolicies = [
        inline('from-vpc', [
          {
            Effect: 'Allow',
            Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-06c67fbcceb068afd' } },
          },
        ]),
      ];
    });
    expect(check?.status).toBe('warn');
    expect(check?.summary).toContain('aws:SourceVpc');
    expect(finding.causes).toEqual([]);
  });
});
