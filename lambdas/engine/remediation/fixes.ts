/**
 * The three safe fixes, each one unit (Cloud Custodian's action classes): when it applies to a
 * finding (its causes and its preconditions), the IAM it needs with the conditions that pin it
 * down, and the sentences for the ways it fails. Its action (re-read, then write) is the entry
 * with the same id in `aws/remediate.ts`, whose type demands one per fix. The planner loops over
 * `FIXES`; `permissions.ts` and the stack build their policies from these statements. Each fix's
 * statements include the marker tag it leaves on what it changed (`CHANGE_MARKER_TAG`).
 */
import type { CauseCode } from '../causes.ts';
import type { PolicyStatement } from '../facts.ts';
import type { FixId } from '../report-model.ts';
import { OPT_OUT_TAG } from '../tags.ts';
import type { Applicable, PlanContext, PlanSubject } from './subject.ts';

export const CORE_POLICY_NAME = 'AmazonSSMManagedInstanceCore';
export const corePolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/${CORE_POLICY_NAME}`;

export interface PermissionScope {
  partition: string;
  /** `*` when the policy is printed for any account. */
  accountId: string;
  /** `*` when the policy is printed for any region. */
  region: string;
  /** The role inside the profile that `attach-instance-profile` associates (for iam:PassRole). */
  remediationRoleArn: string;
  /**
   * The profile `attach-instance-profile` associates (an ARN, wildcards allowed). When given,
   * `ec2:NewInstanceProfile` pins the association to it; without it only the role is pinned.
   */
  remediationProfileArn?: string;
  /** Roles no fix may ever change (the stack's own), as ARN patterns. */
  protectedRoleArns?: string[];
}

export interface FixDefinition {
  id: FixId;
  title: string;
  /** The write the fix makes, for records and logs. */
  operation: string;
  /** The causes it removes when it works (what the report counts as fixed, and groups by). */
  resolves: readonly CauseCode[];
  /** Whether it applies to this finding at all (undefined: not listed), on what, and what holds it back. */
  applies(subject: PlanSubject, context: PlanContext): Applicable | undefined;
  /** The write, with the conditions that pin it, plus the reads made right before it. */
  statements(scope: PermissionScope): PolicyStatement[];
  /** Sentences for this fix's own failure codes (the shared ones are in failures.ts). */
  failures: readonly (readonly [RegExp, string])[];
}

const instanceArn = (s: PermissionScope) => `arn:${s.partition}:ec2:${s.region}:${s.accountId}:instance/*`;
const roleArns = (s: PermissionScope) => `arn:${s.partition}:iam::${s.accountId}:role/*`;

/** EC2 and IAM simulation reads support no resource-level permissions, hence `*`. */
const describeStatement = (sid: string, actions: string[]): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: actions,
  Resource: '*',
});

const has = (subject: PlanSubject, cause: CauseCode) => subject.causes.includes(cause);

/**
 * The tag every change leaves on what it changed (Instance Scheduler's habit): `<fix id> <ISO time>`,
 * e.g. `enforce-imdsv2 2026-03-01T06:00:00.000Z`. One key, overwritten by the latest change; the
 * journal keeps every change. The value fits EC2's and IAM's tag value limits (256 characters,
 * IAM's `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`).
 */
export const CHANGE_MARKER_TAG = 'ssm-doctor:changed';
export const changeMarkerValue = (fix: FixId, at: string) => `${fix} ${at}`.slice(0, 256);

/**
 * The marker's write, pinned: this one tag key and nothing else in the request (`aws:TagKeys`),
 * with a value that names this fix (`aws:RequestTag/…`). A direct CreateTags carries no
 * `ec2:CreateAction` (that key is only present when tags are applied by a create call), so it
 * cannot narrow this statement; the resource and the tag keys do.
 */
function markerStatement(
  sid: string,
  fix: FixId,
  action: 'ec2:CreateTags' | 'iam:TagRole',
  resource: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: [action],
    Resource: resource,
    Condition: {
      'ForAllValues:StringEquals': { 'aws:TagKeys': [CHANGE_MARKER_TAG] },
      StringLike: { [`aws:RequestTag/${CHANGE_MARKER_TAG}`]: `${fix} *` },
    },
  };
}

const attachInstanceProfile: FixDefinition = {
  id: 'attach-instance-profile',
  title: 'Associate the ssm-doctor instance profile (role with AmazonSSMManagedEC2InstanceDefaultPolicy)',
  operation: 'ec2:AssociateIamInstanceProfile',
  resolves: ['NO_INSTANCE_PROFILE', 'DHMC_ROLE_INVALID', 'DHMC_AGENT_TOO_OLD'],
  // No profile, and the credentials DHMC would give are not usable either.
  applies: (subject) =>
    !subject.instanceProfileArn &&
    (has(subject, 'NO_INSTANCE_PROFILE') ||
      has(subject, 'DHMC_ROLE_INVALID') ||
      has(subject, 'DHMC_AGENT_TOO_OLD'))
      ? { target: subject.instanceId }
      : undefined,
  statements: (s) => [
    {
      Sid: 'AttachInstanceProfile',
      Effect: 'Allow',
      Action: ['ec2:AssociateIamInstanceProfile'],
      Resource: instanceArn(s),
      Condition: {
        // Only instances that have no profile yet: never replace one.
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
    markerStatement('MarkInstanceGivenAProfile', 'attach-instance-profile', 'ec2:CreateTags', instanceArn(s)),
    describeStatement('AttachInstanceProfileReReads', [
      'ec2:DescribeInstances',
      'ec2:DescribeIamInstanceProfileAssociations',
    ]),
  ],
  failures: [
    [
      /^IncorrectState$/,
      'EC2 refused: the instance already has a profile association (made since it was re-read), or is not in a state that accepts one',
    ],
    [/^InvalidParameter/, 'AWS rejected a parameter (is the configured instance profile name right?)'],
  ],
};

const attachCorePolicy: FixDefinition = {
  id: 'attach-core-policy',
  title: 'Attach AmazonSSMManagedInstanceCore to the instance role',
  operation: 'iam:AttachRolePolicy',
  resolves: ['ROLE_MISSING_SSM_PERMISSIONS'],
  applies: (subject, context) => {
    if (!has(subject, 'ROLE_MISSING_SSM_PERMISSIONS') || !subject.roleName) return undefined;
    const role = context.roles?.get(subject.roleName);
    if (!role) {
      return {
        target: subject.roleName,
        guard: 'role-unreadable',
        detail: `who uses role ${subject.roleName}, and whether it may be changed, could not be read`,
      };
    }
    const alsoAffects = role.users.filter((id) => id !== subject.instanceId);
    const base = { target: subject.roleName, alsoAffects };
    if (role.blocked) return { ...base, guard: role.blocked.reason, detail: role.blocked.detail };
    const others = role.optedOutUsers.filter((id) => id !== subject.instanceId);
    if (!subject.optedOut && others.length) {
      return {
        ...base,
        guard: 'shared-with-opted-out',
        detail: `role ${subject.roleName} is also used by ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}, opted out with ${OPT_OUT_TAG}`,
      };
    }
    return role.partly ? { ...base, detail: role.partly } : base;
  },
  statements: (s) => [
    {
      Sid: 'AttachOnlyTheCorePolicy',
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy'],
      Resource: roleArns(s),
      Condition: { ArnEquals: { 'iam:PolicyARN': corePolicyArn(s.partition) } },
    },
    markerStatement('MarkRoleGivenTheCorePolicy', 'attach-core-policy', 'iam:TagRole', roleArns(s)),
    ...(s.protectedRoleArns?.length
      ? [
          {
            Sid: 'NeverChangeTheStacksOwnRoles',
            Effect: 'Deny' as const,
            Action: ['iam:AttachRolePolicy', 'iam:TagRole'],
            Resource: s.protectedRoleArns,
          },
        ]
      : []),
    // Who uses the role (every profile holding it, every instance of those), may it help (simulated).
    describeStatement('AttachCorePolicyReReadInstances', ['ec2:DescribeInstances']),
    {
      Sid: 'AttachCorePolicyReReadRole',
      Effect: 'Allow',
      Action: [
        'iam:GetInstanceProfile',
        'iam:GetRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
        'iam:SimulatePrincipalPolicy',
      ],
      Resource: [`arn:${s.partition}:iam::${s.accountId}:instance-profile/*`, roleArns(s)],
    },
  ],
  failures: [
    [
      /^LimitExceeded$/,
      'the role already holds as many managed policies as its quota allows: detach one or raise the quota',
    ],
    [/^UnmodifiableEntity$/, 'the role is protected (service-linked) and cannot be changed'],
  ],
};

const enforceImdsV2: FixDefinition = {
  id: 'enforce-imdsv2',
  title: 'Enable the metadata endpoint and require IMDSv2 tokens',
  operation: 'ec2:ModifyInstanceMetadataOptions',
  resolves: ['IMDS_DISABLED'],
  applies: (subject, { settings }) => {
    if (has(subject, 'IMDS_DISABLED')) {
      // Someone may have disabled the endpoint on purpose: only with the setting on is it turned
      // back on. With the endpoint off nothing can be using IMDSv1, so no usage guard is needed.
      return settings.enforceImdsV2
        ? { target: subject.instanceId }
        : {
            target: subject.instanceId,
            guard: 'not-enabled',
            detail: 'enforce-imdsv2 is off: the metadata endpoint is left disabled (see next steps)',
          };
    }
    // Hardening tokens is not listed at all while the setting is off.
    if (subject.httpTokens !== 'optional' || !settings.enforceImdsV2) return undefined;
    const usage = subject.metadataNoToken;
    if (!usage?.ok) return { target: subject.instanceId, guard: 'imdsv1-usage-unknown' };
    return usage.value > 0
      ? { target: subject.instanceId, guard: 'imdsv1-in-use' }
      : { target: subject.instanceId };
  },
  statements: (s) => [
    {
      Sid: 'EnforceImdsV2',
      Effect: 'Allow',
      Action: ['ec2:ModifyInstanceMetadataOptions'],
      Resource: instanceArn(s),
      // `ec2:Attribute/*` are the values in the request: the only change allowed is endpoint on,
      // tokens required, and no other attribute in the same call (absent keys are Null).
      Condition: {
        StringEquals: { 'ec2:Attribute/HttpTokens': 'required', 'ec2:Attribute/HttpEndpoint': 'enabled' },
        Null: {
          'ec2:Attribute/HttpPutResponseHopLimit': 'true',
          'ec2:Attribute/HttpProtocolIpv6': 'true',
          'ec2:Attribute/InstanceMetadataTags': 'true',
        },
      },
    },
    markerStatement('MarkInstanceGivenImdsV2', 'enforce-imdsv2', 'ec2:CreateTags', instanceArn(s)),
    describeStatement('EnforceImdsV2ReReads', ['ec2:DescribeInstances', 'cloudwatch:GetMetricData']),
  ],
  failures: [
    [/^IncorrectInstanceState$/, 'EC2 refused: the instance is not in a state that accepts this change'],
  ],
};

/** Every fix, in the order a finding lists them. */
export const FIXES = {
  'attach-instance-profile': attachInstanceProfile,
  'attach-core-policy': attachCorePolicy,
  'enforce-imdsv2': enforceImdsV2,
} as const satisfies Record<FixId, FixDefinition>;

export const FIX_IDS = Object.keys(FIXES) as FixId[];

/**
 * Values of `ssm-doctor:remediate` that let a fix through. IAM cannot trim or lower-case a value:
 * `StringNotEqualsIgnoreCase` covers the case, the padded spellings are listed; condition key
 * names (the tag key) are matched case-insensitively by IAM itself.
 */
const OPTED_IN_VALUES = ['true', ' true', 'true ', ' true '];

/**
 * Explicit denies that hold even if someone widens the allows: an instance or role carrying
 * `ssm-doctor:remediate` with any value but `true` is never changed.
 */
export function optOutDenyStatements(scope: PermissionScope): PolicyStatement[] {
  const condition = {
    Null: { [`aws:ResourceTag/${OPT_OUT_TAG}`]: 'false' },
    StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${OPT_OUT_TAG}`]: OPTED_IN_VALUES },
  };
  return [
    {
      Sid: 'NeverTouchOptedOutInstances',
      Effect: 'Deny',
      Action: ['ec2:AssociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions', 'ec2:CreateTags'],
      Resource: instanceArn(scope),
      Condition: condition,
    },
    {
      Sid: 'NeverTouchOptedOutRoles',
      Effect: 'Deny',
      Action: ['iam:AttachRolePolicy', 'iam:TagRole'],
      Resource: roleArns(scope),
      Condition: condition,
    },
  ];
}
