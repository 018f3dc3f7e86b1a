/**
 * What AWS authorizes a request against: for each action, the resource ARN(s) and the condition
 * keys the request carries (those of the service authorization reference that the stack's and the
 * CLI's policies use). Actions not listed here are authorized against `*` with the global keys only
 * — right for the Describe/List reads, which have no resource-level permissions.
 */
import type { AuthorizationRequest } from './authorization.ts';
import { findProfileByArn, findProfileByName, findRole, profileArn, roleArn } from './iam-model.ts';
import type { RequestContext } from './policy-conditions.ts';
import type { World } from './world-schema.ts';

export interface RequestScope {
  world: World;
  accountId: string;
  region: string;
  partition: string;
  principalArn: string;
}

type Tag = { Key?: string; Value?: string };
type Input = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function resourceTags(tags: readonly Tag[] | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const tag of tags ?? [])
    if (tag.Key !== undefined) keys[`aws:ResourceTag/${tag.Key}`] = tag.Value ?? '';
  return keys;
}

/** The tags a request writes: `aws:TagKeys` (every key) and `aws:RequestTag/<key>` (each value). */
function requestTagKeys(tags: readonly Tag[] | undefined): RequestContext {
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': (tags ?? []).map((t) => t.Key ?? '') };
  for (const tag of tags ?? []) if (tag.Key) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  return keys;
}

function globalKeys(scope: RequestScope): Record<string, string> {
  return {
    'aws:RequestedRegion': scope.region,
    'aws:SecureTransport': 'true',
    'aws:PrincipalAccount': scope.accountId,
    'aws:PrincipalArn': scope.principalArn,
  };
}

function instanceRequest(
  scope: RequestScope,
  action: string,
  instanceId: string,
  extra: RequestContext = {},
) {
  const instance = scope.world.ec2.Instances.find((i) => i.InstanceId === instanceId);
  const arn = `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:instance/${instanceId}`;
  const profile = instance?.IamInstanceProfile?.Arn;
  return {
    action,
    resource: arn,
    context: {
      ...globalKeys(scope),
      ...resourceTags(instance?.Tags as Tag[] | undefined),
      ...(profile ? { 'ec2:InstanceProfile': profile } : {}),
      ...(instance?.MetadataOptions?.HttpTokens
        ? { 'ec2:MetadataHttpTokens': instance.MetadataOptions.HttpTokens }
        : {}),
      'ec2:Region': scope.region,
      ...extra,
    },
  };
}

function roleRequest(scope: RequestScope, action: string, roleName: string, extra: RequestContext = {}) {
  const role = findRole(scope.world, roleName);
  const arn = role ? roleArn(scope, role) : `arn:${scope.partition}:iam::${scope.accountId}:role/${roleName}`;
  return {
    action,
    resource: arn,
    context: { ...globalKeys(scope), ...resourceTags(role?.Tags as Tag[] | undefined), ...extra },
  };
}

/** The profile a request names (by name or ARN), as an ARN, and the role inside it. */
function profileOf(scope: RequestScope, nameOrArn: string | undefined) {
  if (!nameOrArn) return undefined;
  const profile = nameOrArn.startsWith('arn:')
    ? findProfileByArn({ ...scope }, nameOrArn)
    : findProfileByName(scope.world, nameOrArn);
  return profile ? { arn: profileArn(scope, profile), roleName: profile.Roles?.[0]?.RoleName } : undefined;
}

const RULES: Record<string, (input: Input, scope: RequestScope) => AuthorizationRequest[]> = {
  // Route 53 is global: a hosted zone's ARN has no region or account. ListHostedZonesByVPC and the
  // Resolver's List* calls have no resource-level permissions (`*`, the default below).
  'route53:ListResourceRecordSets': (input, scope) => [
    {
      action: 'route53:ListResourceRecordSets',
      resource: `arn:${scope.partition}:route53:::hostedzone/${(str(input.HostedZoneId) ?? '').replace(/^\/hostedzone\//, '')}`,
      context: globalKeys(scope),
    },
  ],
  'ec2:AssociateIamInstanceProfile': (input, scope) => {
    const named = input.IamInstanceProfile as { Arn?: string; Name?: string } | undefined;
    const profile = profileOf(scope, named?.Arn ?? named?.Name);
    const requests: AuthorizationRequest[] = [
      instanceRequest(scope, 'ec2:AssociateIamInstanceProfile', str(input.InstanceId) ?? '', {
        ...(profile ? { 'ec2:NewInstanceProfile': profile.arn } : {}),
      }),
    ];
    // EC2 hands the profile's role to the instance: the caller must be allowed to pass it.
    if (profile?.roleName) {
      requests.push(
        roleRequest(scope, 'iam:PassRole', profile.roleName, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
      );
    }
    return requests;
  },
  'ec2:ModifyInstanceMetadataOptions': (input, scope) => {
    const attributes: Record<string, string> = {};
    for (const key of [
      'HttpTokens',
      'HttpEndpoint',
      'HttpPutResponseHopLimit',
      'HttpProtocolIpv6',
      'InstanceMetadataTags',
    ]) {
      if (input[key] !== undefined) attributes[`ec2:Attribute/${key}`] = String(input[key]);
    }
    return [
      instanceRequest(scope, 'ec2:ModifyInstanceMetadataOptions', str(input.InstanceId) ?? '', attributes),
    ];
  },
  'ec2:GetConsoleOutput': (input, scope) => [
    instanceRequest(scope, 'ec2:GetConsoleOutput', str(input.InstanceId) ?? ''),
  ],
  'ec2:CreateTags': (input, scope) => {
    const requestTags = requestTagKeys(input.Tags as Tag[] | undefined);
    return ((input.Resources as string[] | undefined) ?? []).map((id) =>
      instanceRequest(scope, 'ec2:CreateTags', id, requestTags),
    );
  },
  'iam:GetInstanceProfile': (input, scope) => {
    const name = str(input.InstanceProfileName) ?? '';
    const profile = findProfileByName(scope.world, name);
    return [
      {
        action: 'iam:GetInstanceProfile',
        resource: profile
          ? profileArn(scope, profile)
          : `arn:${scope.partition}:iam::${scope.accountId}:instance-profile/${name}`,
        context: globalKeys(scope),
      },
    ];
  },
  'iam:AttachRolePolicy': (input, scope) => [
    roleRequest(scope, 'iam:AttachRolePolicy', str(input.RoleName) ?? '', {
      'iam:PolicyARN': str(input.PolicyArn) ?? '',
    }),
  ],
  'iam:SimulatePrincipalPolicy': (input, scope) => [
    {
      action: 'iam:SimulatePrincipalPolicy',
      resource: str(input.PolicySourceArn) ?? '*',
      context: globalKeys(scope),
    },
  ],
  'iam:GetPolicy': (input, scope) => [
    { action: 'iam:GetPolicy', resource: str(input.PolicyArn) ?? '*', context: globalKeys(scope) },
  ],
  'iam:GetPolicyVersion': (input, scope) => [
    { action: 'iam:GetPolicyVersion', resource: str(input.PolicyArn) ?? '*', context: globalKeys(scope) },
  ],
  // The marker a role change leaves: the tags in the request are condition keys, like CreateTags'.
  'iam:TagRole': (input, scope) => [
    roleRequest(
      scope,
      'iam:TagRole',
      str(input.RoleName) ?? '',
      requestTagKeys(input.Tags as Tag[] | undefined),
    ),
  ],
  // Authorized against the execution it names (`…:execution:<state machine>:<name>`).
  'states:DescribeExecution': (input, scope) => [
    {
      action: 'states:DescribeExecution',
      resource: str(input.executionArn) ?? '*',
      context: globalKeys(scope),
    },
  ],
  'ssm:GetParametersByPath': (input, scope) => [
    {
      // Authorized against the path in the request, not against the parameters it returns.
      action: 'ssm:GetParametersByPath',
      resource: `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter${str(input.Path) ?? ''}`,
      context: globalKeys(scope),
    },
  ],
  'ssm:GetServiceSetting': (input, scope) => [
    {
      action: 'ssm:GetServiceSetting',
      resource: `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:servicesetting${str(input.SettingId) ?? ''}`,
      context: globalKeys(scope),
    },
  ],
  's3:PutObject': (input, scope) => [
    {
      action: 's3:PutObject',
      resource: `arn:${scope.partition}:s3:::${str(input.Bucket) ?? ''}/${str(input.Key) ?? ''}`,
      context: globalKeys(scope),
    },
  ],
  's3:GetObject': (input, scope) => [
    {
      action: 's3:GetObject',
      resource: `arn:${scope.partition}:s3:::${str(input.Bucket) ?? ''}/${str(input.Key) ?? ''}`,
      context: globalKeys(scope),
    },
  ],
  'events:PutEvents': (input, scope) => {
    // Each entry is authorized against the bus it names (the default bus when it names none).
    const buses = new Set(
      ((input.Entries as { EventBusName?: string }[] | undefined) ?? []).map(
        (e) => e.EventBusName ?? 'default',
      ),
    );
    return [...(buses.size ? buses : ['default'])].map((bus) => ({
      action: 'events:PutEvents',
      resource: bus.startsWith('arn:')
        ? bus
        : `arn:${scope.partition}:events:${scope.region}:${scope.accountId}:event-bus/${bus}`,
      context: globalKeys(scope),
    }));
  },
  'sns:Publish': (input, scope) => [
    { action: 'sns:Publish', resource: str(input.TopicArn) ?? '*', context: globalKeys(scope) },
  ],
};

/** Role-scoped IAM reads: authorized against the role they name. */
for (const action of [
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListInstanceProfilesForRole',
]) {
  RULES[action] = (input, scope) => [roleRequest(scope, action, str(input.RoleName) ?? '')];
}
for (const action of ['ssm:GetParameter', 'ssm:PutParameter']) {
  RULES[action] = (input, scope) => [
    {
      action,
      resource: `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter/${(str(input.Name) ?? '').replace(/^\//, '')}`,
      context: globalKeys(scope),
    },
  ];
}

export function authorizationRequests(
  action: string,
  input: Input,
  scope: RequestScope,
): AuthorizationRequest[] {
  const rule = RULES[action];
  return rule ? rule(input, scope) : [{ action, resource: '*', context: globalKeys(scope) }];
}

/** DynamoDB: the table ARN, and the partition keys the request touches (`dynamodb:LeadingKeys`). */
export function dynamoRequests(
  operation: string,
  input: Input,
  scope: Pick<RequestScope, 'accountId' | 'region' | 'partition' | 'principalArn'>,
): AuthorizationRequest[] {
  const tables = new Map<string, Set<string>>();
  const add = (table: unknown, item: unknown) => {
    if (typeof table !== 'string') return;
    const keys = tables.get(table) ?? new Set<string>();
    const pk = (item as { pk?: { S?: string } } | undefined)?.pk?.S;
    if (pk !== undefined) keys.add(pk);
    tables.set(table, keys);
  };
  add(input.TableName, input.Key ?? input.Item);
  if (typeof input.TableName === 'string' && input.ExpressionAttributeValues) {
    // A Query names its partition in the key condition: take the value bound to `pk`.
    const condition = str(input.KeyConditionExpression) ?? '';
    const bound = condition.match(/pk\s*=\s*(:\w+)/)?.[1];
    const value = bound
      ? (input.ExpressionAttributeValues as Record<string, { S?: string }>)[bound]?.S
      : undefined;
    if (value !== undefined) tables.get(input.TableName)?.add(value);
  }
  for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, unknown>)) {
    const list = Array.isArray(requests) ? requests : ((requests as { Keys?: unknown[] }).Keys ?? []);
    for (const entry of list) {
      const e = entry as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
      add(table, e.PutRequest?.Item ?? e.DeleteRequest?.Key ?? entry);
    }
  }
  const global = {
    'aws:RequestedRegion': scope.region,
    'aws:SecureTransport': 'true',
    'aws:PrincipalAccount': scope.accountId,
    'aws:PrincipalArn': scope.principalArn,
  };
  return [...tables].map(([table, keys]) => ({
    action: `dynamodb:${operation}`,
    resource: `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${table}`,
    context: { ...global, ...(keys.size ? { 'dynamodb:LeadingKeys': [...keys] } : {}) },
  }));
}
