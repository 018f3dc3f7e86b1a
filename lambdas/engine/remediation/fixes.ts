/**
 * The three safe fixes, declared as data: what each resolves, and the IAM it needs with the
 * conditions that pin it down. `permissions.ts` builds the remediation policy from these, and the
 * stack uses the same statements, so a fix cannot act beyond what is declared here.
 */
import type { CauseCode } from '../causes.ts';
import type { PolicyStatement } from '../facts.ts';
import type { FixId } from '../report-model.ts';

export const OPT_OUT_TAG = 'ssm-doctor:remediate';
export const IGNORE_TAG = 'ssm-doctor:ignore';

export const CORE_POLICY_NAME = 'AmazonSSMManagedInstanceCore';
export const corePolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/${CORE_POLICY_NAME}`;

export interface PermissionScope {
  partition: string;
  /** `*` when the policy is printed for any account. */
  accountId: string;
  /** The role inside the profile that `attach-instance-profile` associates (for iam:PassRole). */
  remediationRoleArn: string;
}

export interface FixDefinition {
  id: FixId;
  title: string;
  resolves: readonly CauseCode[];
  statements(scope: PermissionScope): PolicyStatement[];
}

const instanceArn = (s: PermissionScope) => `arn:${s.partition}:ec2:*:${s.accountId}:instance/*`;

export const FIXES: Record<FixId, FixDefinition> = {
  'attach-instance-profile': {
    id: 'attach-instance-profile',
    title: 'Associate the ssm-doctor instance profile (role with AmazonSSMManagedInstanceCore)',
    resolves: ['NO_INSTANCE_PROFILE', 'DHMC_ROLE_INVALID', 'DHMC_AGENT_TOO_OLD'],
    statements: (s) => [
      {
        Sid: 'AttachInstanceProfile',
        Effect: 'Allow',
        Action: ['ec2:AssociateIamInstanceProfile'],
        Resource: instanceArn(s),
      },
      {
        Sid: 'PassOnlyTheRemediationRoleToEc2',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: s.remediationRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    ],
  },
  'attach-core-policy': {
    id: 'attach-core-policy',
    title: 'Attach AmazonSSMManagedInstanceCore to the instance role',
    resolves: ['ROLE_MISSING_SSM_PERMISSIONS'],
    statements: (s) => [
      {
        Sid: 'AttachOnlyTheCorePolicy',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy'],
        Resource: `arn:${s.partition}:iam::${s.accountId}:role/*`,
        Condition: { ArnEquals: { 'iam:PolicyARN': corePolicyArn(s.partition) } },
      },
    ],
  },
  'enforce-imdsv2': {
    id: 'enforce-imdsv2',
    title: 'Enable the metadata endpoint and require IMDSv2 tokens',
    resolves: ['IMDS_DISABLED'],
    statements: (s) => [
      {
        Sid: 'EnforceImdsV2',
        Effect: 'Allow',
        Action: ['ec2:ModifyInstanceMetadataOptions'],
        Resource: instanceArn(s),
      },
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
    Condition: { StringEquals: { [`aws:ResourceTag/${OPT_OUT_TAG}`]: 'false' } },
  };
}
