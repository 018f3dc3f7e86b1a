/**
 * Where each kind of fact comes from, as IAM actions. Checks and fixes declare the sources they
 * read; the least-privilege policy (`permissions.ts`) is generated from those declarations, so
 * the code and the policy cannot drift apart. A test runs a scan on the simulated account and
 * asserts every API call it made is covered here.
 */
export const FACT_SOURCES = {
  /**
   * Discovery reads both to the end: the registrations as the node list (DescribeInstanceProperties,
   * 1,000 a page), or where that is unavailable through DescribeInstanceInformation (a large
   * fleet's by id-filtered chunks, in parallel); later stages re-read some instances or
   * registrations by id.
   */
  runningInstances: ['ec2:DescribeInstances'],
  nodeList: ['ssm:DescribeInstanceProperties'],
  registrations: ['ssm:DescribeInstanceInformation'],
  /** Planning `attach-core-policy`: every profile holding the role, its users, its tags and trust, a what-if simulation. */
  roleUsers: [
    'iam:GetRole',
    'iam:ListInstanceProfilesForRole',
    'iam:SimulatePrincipalPolicy',
    'ec2:DescribeInstances',
  ],
  instanceStatus: ['ec2:DescribeInstanceStatus'],
  images: ['ec2:DescribeImages'],
  consoleOutput: ['ec2:GetConsoleOutput'],
  network: [
    'ec2:DescribeVpcs',
    'ec2:DescribeVpcAttribute',
    'ec2:DescribeSubnets',
    'ec2:DescribeRouteTables',
    'ec2:DescribeInternetGateways',
    'ec2:DescribeNatGateways',
    'ec2:DescribeVpcEndpoints',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeNetworkAcls',
    'ec2:DescribeDhcpOptions',
  ],
  /**
   * Who answers the SSM service names in a VPC besides its own endpoints (centralized endpoints):
   * private hosted zones by VPC and their records, Resolver rules and their VPC associations.
   */
  privateDns: [
    'route53:ListHostedZonesByVPC',
    'route53:ListResourceRecordSets',
    'route53resolver:ListResolverRules',
    'route53resolver:ListResolverRuleAssociations',
  ],
  /**
   * Per profile and role when few; for many (`iam.ts` BULK_THRESHOLD) one listing of every profile
   * and one of every role's policies and the customer-managed documents, each falling back to the
   * per-item reads when denied.
   */
  instanceProfile: [
    'iam:GetInstanceProfile',
    'iam:GetRole',
    'iam:ListAttachedRolePolicies',
    'iam:SimulatePrincipalPolicy',
    'iam:ListInstanceProfiles',
    'iam:GetAccountAuthorizationDetails',
  ],
  dhmc: [
    'ssm:GetServiceSetting',
    'iam:GetRole',
    'iam:ListAttachedRolePolicies',
    'iam:SimulatePrincipalPolicy',
  ],
  metadataUsage: ['cloudwatch:GetMetricData'],
  /** `ssm-doctor record` also copies the roles' inline and managed policy documents. */
  recording: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
} as const satisfies Record<string, readonly string[]>;

export type FactSource = keyof typeof FACT_SOURCES;
