/**
 * AWS-managed policies the simulator knows by ARN, with the statements AWS publishes for their
 * default version (AWS managed policy reference). AWS-managed ARNs carry no account and differ only
 * by partition (`arn:aws:`, `arn:aws-cn:`, `arn:aws-us-gov:`), so lookups ignore the partition.
 * A world may add others (or override these) by listing them in `iam.Policies` with their document.
 */
import type { PolicyDocument } from './policy-document.ts';

export interface ManagedPolicy {
  PolicyName: string;
  /** IAM path: `/` or `/service-role/`. */
  Path: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Description: string;
  Document: PolicyDocument;
}

const SSM_CORE_ACTIONS = [
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
];
const SSMMESSAGES_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];
const EC2MESSAGES_ACTIONS = [
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
];

const allow = (Action: string | string[]) => ({ Effect: 'Allow' as const, Action, Resource: '*' });
const without = (actions: string[], ...drop: string[]) => actions.filter((a) => !drop.includes(a));

/** Keyed by the `aws`-partition ARN. */
export const MANAGED_POLICIES: Readonly<Record<string, ManagedPolicy>> = {
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore': {
    PolicyName: 'AmazonSSMManagedInstanceCore',
    Path: '/',
    DefaultVersionId: 'v2',
    CreateDate: '2019-03-15T17:22:49Z',
    UpdateDate: '2019-05-23T16:54:21Z',
    Description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    Document: {
      Version: '2012-10-17',
      Statement: [allow(SSM_CORE_ACTIONS), allow(SSMMESSAGES_ACTIONS), allow(EC2MESSAGES_ACTIONS)],
    },
  },
  'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy': {
    PolicyName: 'AmazonSSMManagedEC2InstanceDefaultPolicy',
    Path: '/',
    DefaultVersionId: 'v1',
    CreateDate: '2022-08-30T20:54:27Z',
    UpdateDate: '2022-08-30T20:54:27Z',
    Description:
      'This policy enables AWS Systems Manager SSM Agent to execute EC2 Instance functionality on behalf of the customer.',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allow(without(SSM_CORE_ACTIONS, 'ssm:GetParameter', 'ssm:GetParameters')),
        allow(SSMMESSAGES_ACTIONS),
        allow(EC2MESSAGES_ACTIONS),
      ],
    },
  },
  'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM': {
    PolicyName: 'AmazonEC2RoleforSSM',
    Path: '/service-role/',
    DefaultVersionId: 'v8',
    CreateDate: '2015-05-29T17:48:35Z',
    UpdateDate: '2019-01-24T19:20:51Z',
    Description: 'This policy will soon be deprecated. Please use AmazonSSMManagedInstanceCore policy.',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allow(without(SSM_CORE_ACTIONS, 'ssm:GetParameter')),
        allow(SSMMESSAGES_ACTIONS),
        allow(EC2MESSAGES_ACTIONS),
        allow(['cloudwatch:PutMetricData']),
        allow(['ec2:DescribeInstanceStatus']),
        allow(['ds:CreateComputer', 'ds:DescribeDirectories']),
        allow([
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
          'logs:PutLogEvents',
        ]),
        allow([
          's3:GetBucketLocation',
          's3:PutObject',
          's3:GetObject',
          's3:GetEncryptionConfiguration',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
        ]),
      ],
    },
  },
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    PolicyName: 'AdministratorAccess',
    Path: '/',
    DefaultVersionId: 'v1',
    CreateDate: '2015-02-06T18:39:46Z',
    UpdateDate: '2015-02-06T18:39:46Z',
    Description: 'Provides full access to AWS services and resources.',
    Document: { Version: '2012-10-17', Statement: [allow('*')] },
  },
};

/** The documents alone, by `aws`-partition ARN (what the engine needs to reason offline). */
export const MANAGED_POLICY_DOCUMENTS: Readonly<Record<string, PolicyDocument>> = Object.fromEntries(
  Object.entries(MANAGED_POLICIES).map(([arn, policy]) => [arn, policy.Document]),
);

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\//;

/** True for `arn:<partition>:iam::aws:policy/...`, known to us or not. */
export const isAwsManagedArn = (arn: string): boolean => AWS_MANAGED_ARN.test(arn);

/** The managed policy behind an ARN of any partition, if the simulator knows it. */
export function findManagedPolicy(arn: string): ManagedPolicy | undefined {
  if (!isAwsManagedArn(arn)) return undefined;
  return MANAGED_POLICIES[arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:')];
}
