/**
 * Small worlds for remediation tests: one public subnet where the network is fine, so the only
 * causes are the ones a test puts on its instances (no profile, a role without the core policy,
 * IMDS off or optional).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorld, type World } from '../../lambdas/sim/world.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const NOW = '2026-11-26T06:00:00Z';
export const FIX_PROFILE = 'ssm-doctor-fix';
export const profileArn = (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`;
export const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

const trustEc2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export interface InstanceSpec {
  id: string;
  /** Profile name (must be declared with `profiles`), or none. */
  profile?: string;
  tokens?: 'optional' | 'required';
  endpoint?: 'enabled' | 'disabled';
  tags?: Record<string, string>;
  state?: 'running' | 'stopped';
}

export interface WorldSpec {
  instances: InstanceSpec[];
  /** profile name → role name; each role is created without the core policy unless listed in `coreRoles`. */
  profiles?: Record<string, string>;
  coreRoles?: string[];
  /** Per role: who it trusts, inline policies, a boundary (customer-managed, declared here), tags, path. */
  roles?: Record<
    string,
    {
      trusts?: string;
      inline?: Record<string, unknown>;
      boundary?: Record<string, unknown>;
      tags?: Record<string, string>;
      path?: string;
    }
  >;
  metadataNoToken?: Record<string, number>;
  onlineAfterFix?: string[];
  faults?: { operation: string; code: string; message?: string; times?: number }[];
}

export function worldJson(spec: WorldSpec): Record<string, unknown> {
  const profiles = { [FIX_PROFILE]: 'ssm-doctor-fix-role', ...spec.profiles };
  const core = new Set(['ssm-doctor-fix-role', ...(spec.coreRoles ?? [])]);
  return {
    format: 'ssm-doctor/world@1',
    accountId: ACCOUNT,
    region: REGION,
    now: NOW,
    ec2: {
      Instances: spec.instances.map((i, n) => ({
        InstanceId: i.id,
        State: { Name: i.state ?? 'running' },
        LaunchTime: '2026-11-01T00:00:00Z',
        ImageId: 'ami-0aaaaaaaaaaaaaaaa',
        VpcId: 'vpc-1',
        SubnetId: 'subnet-1',
        PrivateIpAddress: `10.0.0.${10 + n}`,
        PublicIpAddress: `203.0.113.${10 + n}`,
        PlatformDetails: 'Linux/UNIX',
        SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'app' }],
        ...(i.profile ? { IamInstanceProfile: { Arn: profileArn(i.profile) } } : {}),
        MetadataOptions: { HttpTokens: i.tokens ?? 'required', HttpEndpoint: i.endpoint ?? 'enabled' },
        Tags: Object.entries({ Name: i.id.slice(-4), ...i.tags }).map(([Key, Value]) => ({ Key, Value })),
      })),
      Images: [
        {
          ImageId: 'ami-0aaaaaaaaaaaaaaaa',
          Name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64',
          OwnerId: '137112412989',
          ImageOwnerAlias: 'amazon',
          PlatformDetails: 'Linux/UNIX',
        },
      ],
      Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'default' }],
      Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' }],
      RouteTables: [
        {
          RouteTableId: 'rtb-1',
          VpcId: 'vpc-1',
          Associations: [{ Main: true }],
          Routes: [
            { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
            { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
          ],
        },
      ],
      InternetGateways: [
        { InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'available' }] },
      ],
      SecurityGroups: [
        {
          GroupId: 'sg-1',
          GroupName: 'app',
          VpcId: 'vpc-1',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        },
      ],
    },
    ssm: {
      ServiceSettings: [
        {
          SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
          SettingValue: '$None',
        },
      ],
    },
    iam: {
      InstanceProfiles: Object.entries(profiles).map(([name, role]) => ({
        InstanceProfileName: name,
        Arn: profileArn(name),
        Roles: [{ RoleName: role, Arn: `arn:aws:iam::${ACCOUNT}:role/${role}` }],
      })),
      Roles: [...new Set(Object.values(profiles))].map((role) => {
        const extra = spec.roles?.[role] ?? {};
        const path = extra.path ?? '/';
        return {
          RoleName: role,
          Path: path,
          Arn: `arn:aws:iam::${ACCOUNT}:role${path}${role}`,
          AssumeRolePolicyDocument: extra.trusts
            ? {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { Service: extra.trusts }, Action: 'sts:AssumeRole' },
                ],
              }
            : trustEc2,
          AttachedPolicies: core.has(role)
            ? [{ PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: CORE }]
            : [],
          ...(extra.inline
            ? { RolePolicies: [{ PolicyName: `${role}-inline`, PolicyDocument: extra.inline }] }
            : {}),
          ...(extra.boundary
            ? {
                PermissionsBoundary: {
                  PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/${role}-boundary`,
                },
              }
            : {}),
          ...(extra.tags ? { Tags: Object.entries(extra.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        };
      }),
      Policies: Object.entries(spec.roles ?? {}).flatMap(([role, extra]) =>
        extra.boundary
          ? [
              {
                Arn: `arn:aws:iam::${ACCOUNT}:policy/${role}-boundary`,
                PolicyName: `${role}-boundary`,
                Document: extra.boundary,
              },
            ]
          : [],
      ),
    },
    cloudwatch: { MetadataNoToken: spec.metadataNoToken ?? {} },
    simulation: { onlineAfterFix: spec.onlineAfterFix ?? [], faults: spec.faults ?? [] },
  };
}

export const buildWorld = (spec: WorldSpec): World => parseWorld(worldJson(spec), 'test world');

const directories: string[] = [];

/** Writes a world to a fresh temporary directory, for the CLI (`removeWorldFiles` cleans up). */
export async function worldFile(spec: WorldSpec): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ssm-doctor-remediation-'));
  directories.push(dir);
  const path = join(dir, 'world.json');
  await writeFile(path, JSON.stringify(worldJson(spec)));
  return { path, dir };
}

export async function removeWorldFiles(): Promise<void> {
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
