/**
 * The `ssm-doctor/world@1` schema (see examples/worlds/world-format.md). It checks what the simulator
 * relies on (ids and their prefixes, state enums, dates, ARNs, policy documents) and nothing more:
 * AWS objects are loose, so any other key AWS returns is kept and ignored. Section objects are
 * strict, so a typo such as `Instancess` is an error instead of a silently empty world.
 *
 * Extensions of ours beyond the AWS shapes (all optional):
 * - `ec2.Vpcs[].EnableDnsSupport` / `EnableDnsHostnames` (DescribeVpcAttribute; default true)
 * - `ec2.Instances[].ReservationId`: groups instances into one reservation (default: one each)
 * - `iam.Roles[].AttachedPolicies` / `RolePolicies`: the role's managed and inline policies
 * - `iam.Policies[]`: customer-managed policies `{ Arn, PolicyName, Document }`; an entry with an
 *   AWS-managed ARN supplies the document of a managed policy the simulator does not know
 * - `ssm.Parameters[]`: SSM Parameter objects `{ Name, Value, Type }`, so the deployed service's
 *   settings (Parameter Store) can be simulated
 */
import { z } from 'zod';
import {
  awsObject,
  expected,
  id,
  isoDate,
  list,
  policyArn,
  policyDocument,
  profileArn,
  roleArn,
} from './world-fields.ts';
import { ec2Section } from './world-schema-ec2.ts';
import { route53ResolverSection, route53Section } from './world-schema-route53.ts';
import type {
  WorldInstanceInformation,
  WorldInstanceProfile,
  WorldParameter,
  WorldPolicy,
  WorldRole,
  WorldServiceSetting,
} from './world-types.ts';

export const WORLD_FORMAT = 'ssm-doctor/world@1';

const ssm = z.strictObject({
  InstanceInformationList: list(
    awsObject<WorldInstanceInformation>({
      InstanceId: z
        .string(expected('a managed node id'))
        .regex(/^m?i-/, expected('a managed node id (starting with "i-" or "mi-")')),
      PingStatus: z.enum(['Online', 'ConnectionLost', 'Inactive']).optional(),
    }),
  ),
  ServiceSettings: list(
    awsObject<WorldServiceSetting>({
      SettingId: z.string(
        expected('a setting id such as /ssm/managed-instance/default-ec2-instance-management-role'),
      ),
      SettingValue: z.string(expected('the setting value')),
    }),
  ),
  Parameters: list(
    awsObject<WorldParameter>({
      Name: z.string(expected('a parameter name')).min(1, expected('a parameter name')),
      Value: z.string(expected('the parameter value')),
      Type: z.enum(['String', 'StringList', 'SecureString']),
    }),
  ),
});

const iam = z.strictObject({
  InstanceProfiles: list(
    awsObject<WorldInstanceProfile>({
      InstanceProfileName: z.string(expected('an instance profile name')),
      Arn: profileArn.optional(),
      Roles: z
        .array(z.looseObject({ RoleName: z.string(expected('a role name')), Arn: roleArn.optional() }))
        .optional(),
    }),
  ),
  Roles: list(
    awsObject<WorldRole>({
      RoleName: z.string(expected('a role name')),
      Arn: roleArn.optional(),
      AssumeRolePolicyDocument: policyDocument,
      AttachedPolicies: z.array(z.looseObject({ PolicyArn: policyArn })).optional(),
      RolePolicies: z
        .array(
          z.strictObject({ PolicyName: z.string(expected('a policy name')), PolicyDocument: policyDocument }),
        )
        .optional(),
      PermissionsBoundary: z.looseObject({ PermissionsBoundaryArn: policyArn }).optional(),
    }),
  ),
  Policies: list(awsObject<WorldPolicy>({ Arn: policyArn, Document: policyDocument })),
});

const cloudwatch = z.strictObject({
  MetadataNoToken: z
    .record(
      id('i-', 'an instance id'),
      z.number(expected('a count (number >= 0)')).min(0, expected('a count (number >= 0)')),
    )
    .default({}),
});

/** The SCPs in effect for the account, as one level (world-format.md `organizations`). */
const organizations = z.strictObject({
  ServiceControlPolicies: list(
    z.looseObject({
      PolicyId: z.string(expected('an SCP id such as p-examplepolicyid111')).min(1),
      Name: z.string().optional(),
      Content: policyDocument,
    }),
  ),
});

const simulation = z.strictObject({
  onlineAfterFix: list(id('i-', 'an instance id')),
  faults: list(
    z.strictObject({
      operation: z.string(expected('an operation name such as DescribeRouteTables')).min(1),
      code: z.string(expected('an AWS error code such as UnauthorizedOperation')).min(1),
      message: z.string().optional(),
      times: z.number().int().min(1, expected('a whole number of calls >= 1')).optional(),
    }),
  ),
  /** The policy of whoever calls the account in a CLI scan (null or absent: anyone may do anything). */
  callerPolicy: policyDocument.nullable().optional(),
});

export const worldSchema = z
  .strictObject({
    format: z.literal(WORLD_FORMAT),
    accountId: z
      .string(expected('a 12-digit account id'))
      .regex(/^\d{12}$/, expected('a 12-digit account id')),
    region: z
      .string(expected('a region such as eu-west-1'))
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, expected('a region such as eu-west-1')),
    now: isoDate.optional(),
    ec2: ec2Section.prefault({}),
    ssm: ssm.prefault({}),
    iam: iam.prefault({}),
    cloudwatch: cloudwatch.prefault({}),
    // Optional: without it the account is in no organization and no SCP applies.
    organizations: organizations.optional(),
    // Private hosted zones and Resolver rules: the centralized-endpoint pattern (world-format.md).
    route53: route53Section.prefault({}),
    route53resolver: route53ResolverSection.prefault({}),
    simulation: simulation.prefault({}),
  })
  .superRefine((world, ctx) => {
    // Customer-managed policies attached to a role (or bounding it) must exist: the simulator
    // needs their documents, and a boundary it cannot read would silently bound nothing.
    const known = new Set(world.iam.Policies.map((p) => p.Arn));
    const requireKnown = (arn: string, path: (string | number)[]) => {
      if (/:iam::aws:policy\//.test(arn) || known.has(arn)) return;
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'expected an AWS-managed policy or one listed in iam.Policies',
        input: arn,
      });
    };
    world.iam.Roles.forEach((role, r) => {
      role.AttachedPolicies?.forEach((attached, p) => {
        requireKnown(attached.PolicyArn, ['iam', 'Roles', r, 'AttachedPolicies', p, 'PolicyArn']);
      });
      const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
      if (boundary)
        requireKnown(boundary, ['iam', 'Roles', r, 'PermissionsBoundary', 'PermissionsBoundaryArn']);
    });
    // Parameter Store holds one value per name: a second entry would be a setting nobody reads.
    const firstAt = new Map<string, number>();
    world.ssm.Parameters.forEach((parameter, i) => {
      const first = firstAt.get(parameter.Name);
      if (first === undefined) firstAt.set(parameter.Name, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['ssm', 'Parameters', i, 'Name'],
          message: `expected each parameter name once; ssm.Parameters[${first}] already has this name`,
          input: parameter.Name,
        });
    });
  });

export type World = z.output<typeof worldSchema>;
/** What a world file may leave out (every list, every section but the header). */
export type WorldInput = z.input<typeof worldSchema>;
