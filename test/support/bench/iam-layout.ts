/**
 * The IAM side of a generated account: a fleet of instance roles that grant what the agent needs,
 * the few broken ones the scenarios use (a role that only registers, one copied from Lambda, a
 * profile emptied of its role, profiles that were deleted), and the DHMC setting and role.
 */
import type { World } from '../../../lambdas/sim/index.ts';
import { awsManagedPolicy, trustPolicy, type WorldRole } from './aws-objects.ts';

/** How Default Host Management Configuration is set up in the account. */
export type DhmcMode = 'valid' | 'invalid' | 'off';

export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';
export const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';

export interface ProfileRef {
  arn: string;
  id: string;
}

export interface IamLayout {
  /** Profiles whose roles grant AmazonSSMManagedInstanceCore. */
  fleet: ProfileRef[];
  /**
   * Its role may open sessions but not `ssm:UpdateInstanceInformation`: it cannot register, so
   * the agent falls back to DHMC (which an old agent cannot use).
   */
  sessionsOnly: ProfileRef;
  /** Its role trusts lambda.amazonaws.com, not ec2.amazonaws.com. */
  untrusted: ProfileRef;
  /** Holds no role. */
  empty: ProfileRef;
  /** An ARN of a profile that no longer exists. */
  deleted(n: number): ProfileRef;
}

const created = '2024-05-01T10:00:00Z';

/** `profiles` instance profiles: the fleet and the three broken ones (plus the DHMC role). */
export function buildIam(world: World, profiles: number, dhmc: DhmcMode): IamLayout {
  const accountId = world.accountId;
  const iam = world.iam;
  const uniqueId = (prefix: string, n: number) =>
    `${prefix}${n.toString(36).toUpperCase().padStart(17, 'Q')}`;
  let serial = 0;
  const addRole = (role: Omit<WorldRole, 'Arn' | 'RoleId' | 'Path' | 'CreateDate'> & { Path?: string }) => {
    const path = role.Path ?? '/';
    iam.Roles.push({
      Path: path,
      RoleId: uniqueId('AROA', ++serial),
      Arn: `arn:aws:iam::${accountId}:role${path}${role.RoleName}`,
      CreateDate: created,
      MaxSessionDuration: 3600,
      ...role,
    });
  };
  const addProfile = (name: string, roleName?: string): ProfileRef => {
    const ref = { arn: `arn:aws:iam::${accountId}:instance-profile/${name}`, id: uniqueId('AIPA', ++serial) };
    iam.InstanceProfiles.push({
      Path: '/',
      InstanceProfileName: name,
      InstanceProfileId: ref.id,
      Arn: ref.arn,
      CreateDate: created,
      Roles: roleName ? [{ RoleName: roleName, Arn: `arn:aws:iam::${accountId}:role/${roleName}` }] : [],
    });
    return ref;
  };

  // Roles are always simulated, so an AWS-managed policy the simulator does not know needs its
  // published document in the world (as `record` writes it).
  iam.Policies.push({
    Arn: 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
    PolicyName: 'CloudWatchAgentServerPolicy',
    Document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'cloudwatch:PutMetricData',
            'ec2:DescribeVolumes',
            'ec2:DescribeTags',
            'logs:PutLogEvents',
            'logs:DescribeLogStreams',
            'logs:DescribeLogGroups',
            'logs:CreateLogStream',
            'logs:CreateLogGroup',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: ['ssm:GetParameter'],
          Resource: 'arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*',
        },
      ],
    },
  });
  const ec2Trust = trustPolicy('ec2.amazonaws.com');
  const fleet: ProfileRef[] = [];
  const fleetSize = Math.max(1, profiles - 3);
  for (let i = 0; i < fleetSize; i++) {
    const name = `fleet-${String(i).padStart(3, '0')}`;
    // IAM answers with URL-encoded documents; world files may hold either form.
    const core = i % 20 === 19 ? 'service-role/AmazonEC2RoleforSSM' : 'AmazonSSMManagedInstanceCore';
    addRole({
      RoleName: `${name}-role`,
      AssumeRolePolicyDocument: i % 2 === 0 ? ec2Trust : encodeURIComponent(JSON.stringify(ec2Trust)),
      AttachedPolicies: [
        awsManagedPolicy(core),
        ...(i % 5 === 0 ? [awsManagedPolicy('CloudWatchAgentServerPolicy')] : []),
      ],
    });
    fleet.push(addProfile(name, `${name}-role`));
  }

  // Registration needs ssm:UpdateInstanceInformation; a role with only the session actions
  // blocks it (a role with only that action would merely degrade sessions: not a root cause).
  const sessionsPolicy = `arn:aws:iam::${accountId}:policy/legacy-ssm-sessions`;
  iam.Policies.push({
    Arn: sessionsPolicy,
    PolicyName: 'legacy-ssm-sessions',
    Document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssmmessages:*', 'ec2messages:*', 'ssm:GetDocument'],
          Resource: '*',
        },
      ],
    },
  });
  addRole({
    RoleName: 'legacy-app-role',
    AssumeRolePolicyDocument: ec2Trust,
    AttachedPolicies: [{ PolicyName: 'legacy-ssm-sessions', PolicyArn: sessionsPolicy }],
  });
  addRole({
    RoleName: 'etl-runner-role',
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustPolicy('lambda.amazonaws.com'))),
    AttachedPolicies: [awsManagedPolicy('AmazonSSMManagedInstanceCore')],
  });
  const layout: IamLayout = {
    fleet,
    sessionsOnly: addProfile('legacy-app', 'legacy-app-role'),
    untrusted: addProfile('etl-runner', 'etl-runner-role'),
    empty: addProfile('jenkins-agent'),
    deleted: (n) => ({
      arn: `arn:aws:iam::${accountId}:instance-profile/nightly-export-${n % 7}`,
      id: uniqueId('AIPA', 90_000 + (n % 7)),
    }),
  };

  if (dhmc !== 'off') {
    // `invalid`: created by hand as an EC2 role, so SSM cannot assume it.
    addRole({
      RoleName: DHMC_ROLE,
      Path: '/service-role/',
      AssumeRolePolicyDocument: trustPolicy(dhmc === 'valid' ? 'ssm.amazonaws.com' : 'ec2.amazonaws.com'),
      AttachedPolicies: [awsManagedPolicy('AmazonSSMManagedEC2InstanceDefaultPolicy')],
    });
  }
  world.ssm.ServiceSettings.push({
    SettingId: DHMC_SETTING_ID,
    SettingValue: dhmc === 'off' ? '$None' : `service-role/${DHMC_ROLE}`,
    LastModifiedDate: '2025-03-10T07:31:12Z',
    LastModifiedUser:
      dhmc === 'off' ? 'System' : `arn:aws:sts::${accountId}:assumed-role/PlatformAdmin/jane.doe`,
    ARN: `arn:aws:ssm:${world.region}:${accountId}:servicesetting${DHMC_SETTING_ID}`,
    Status: dhmc === 'off' ? 'Default' : 'Customized',
  });
  return layout;
}
