/**
 * The three safe fixes, declared as data: what each resolves, and the IAM it needs with the
 * conditions that pin it down. `permissions.ts` builds the remediation policy from these, and the
 * stack uses the same statements, so a fix cannot act beyond what is declared here.
 */
import type { CauseCode } from '../causes.ts';
import type { PolicyStatement } from '../facts.ts';
import type { FixId } from '../report-model.ts';
import { OPT_OUT_TAG } from '../tags.ts';

export const CORE_POLICY_NAME = 'AmazonSSMManagedInstanceCore';
export const corePolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/${CORE_POLICY_NAME}`;

export interface PermissionScope {
  partition: string;
  /** `*` when the policy is printed for any account. */
  accountId: string;
  /** The role inside the profile that `attach-instance-profile` associates (for iam:PassRole). */
  remediationRoleArn: string;
  /**
   * The profile `attach-instance-profile` associates (an ARN, wildcards allowed). When given,
   * `ec2:NewInstanceProfile` pins the association to it; without it only the role is pinned.
   */
  remediationProfileArn?: string;
}

export interface FixDefinition {
  id: FixId;
  title: string;
  resolves: readonly CauseCode[];
  /** The write the fix makes, for records and logs. */
  operation: string;
  /** The write, with the conditions that pin it, plus the reads the applier makes right before it. */
  statements(scope: PermissionScope): PolicyStatement[];
}

const instanceArn = (s: PermissionScope) => `arn:${s.partition}:ec2:*:${s.accountId}:instance/*`;
const roleArns = (s: PermissionScope) => `arn:${s.partition}:iam::${s.accountId}:role/*`;

/**
 * What the applier reads right before each write (running? opted out? still needed?). EC2
 * Describe calls support no resource-level permissions, hence `*`.
 */
const describeStatement = (sid: string, actions: string[]): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: actions,
  Resource: '*',
});

export const FIXES: Record<FixId, FixDefinition> = {
  'attach-instance-profile': {
    id: 'attach-instance-profile',
    title: 'Associate the ssm-doctor instance profile (role with AmazonSSMManagedInstanceCore)',
    resolves: ['NO_INSTANCE_PROFILE', 'DHMC_ROLE_INVALID', 'DHMC_AGENT_TOO_OLD'],
    operation: 'ec2:AssociateIamInstanceProfile',
    statements: (s) => [
      {
        Sid: 'AttachInstanceProfile',
        Effect: 'Allow',
        Action: ['ec2:AssociateIamInstanceProfile'],
        Resource: instanceArn(s),
        Condition: {
          // Only instances that have no profile yet: never replace one (EC2 refuses a second
          // association anyway; this keeps the rule even if that ever changed).
          Null: { 'ec2:InstanceProfile': 'true' },
          ...(s.remediationProfileArn
            ? { ArnLike: { 'ec2:NewInstanceProfile': s.remediationProfileArn } }
            : {}),
        },
      },
      {
        Sid: 'PassOnlyTheRemediationRoleToEc2',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: s.remediationRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      describeStatement('AttachInstanceProfileReReads', [
        'ec2:DescribeInstances',
        'ec2:DescribeIamInstanceProfileAssociations',
      ]),
    ],
  },
  'attach-core-policy': {
    id: 'attach-core-policy',
    title: 'Attach AmazonSSMManagedInstanceCore to the instance role',
    resolves: ['ROLE_MISSING_SSM_PERMISSIONS'],
    operation: 'iam:AttachRolePolicy',
    statements: (s) => [
      {
        Sid: 'AttachOnlyTheCorePolicy',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy'],
        Resource: roleArns(s),
        Condition: { ArnEquals: { 'iam:PolicyARN': corePolicyArn(s.partition) } },
      },
      // Which instances use the role now (and whether any opted out), then the role itself.
      describeStatement('AttachCorePolicyReReadInstances', ['ec2:DescribeInstances']),
      {
        Sid: 'AttachCorePolicyReReadRole',
        Effect: 'Allow',
        Action: ['iam:GetInstanceProfile', 'iam:ListAttachedRolePolicies'],
        Resource: [`arn:${s.partition}:iam::${s.accountId}:instance-profile/*`, roleArns(s)],
      },
    ],
  },
  'enforce-imdsv2': {
    id: 'enforce-imdsv2',
    title: 'Enable the metadata endpoint and require IMDSv2 tokens',
    resolves: ['IMDS_DISABLED'],
    operation: 'ec2:ModifyInstanceMetadataOptions',
    statements: (s) => [
      {
        Sid: 'EnforceImdsV2',
        Effect: 'Allow',
        Action: ['ec2:ModifyInstanceMetadataOptions'],
        Resource: instanceArn(s),
        // `ec2:Attribute/*` are the values in the request (`ec2:MetadataHttpTokens` would be the
        // instance's current value): the only change allowed is to endpoint on, tokens required.
        Condition: {
          StringEquals: { 'ec2:Attribute/HttpTokens': 'required', 'ec2:Attribute/HttpEndpoint': 'enabled' },
        },
      },
      describeStatement('EnforceImdsV2ReReads', ['ec2:DescribeInstances']),
    ],
  },
};

/** An explicit deny that holds even if someone widens the allows: opted-out instances are never changed. */
export function optOutDenyStatement(scope: PermissionScope): PolicyStatement {
  return {
    Sid: 'NeverTouchOptedOutInstances',
    Effect: 'Deny',
    Action: ['ec2:AssociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions'],
    Resource: instanceArn(scope),
    // Planning and the re-read compare the value case-insensitively; so does the deny.
    Condition: { StringEqualsIgnoreCase: { [`aws:ResourceTag/${OPT_OUT_TAG}`]: 'false' } },
  };
}
