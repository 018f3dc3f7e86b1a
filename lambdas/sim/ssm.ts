/**
 * The simulated Systems Manager API: managed-node inventory (DescribeInstanceInformation, and
 * DescribeInstanceProperties: the same nodes, up to 1,000 a page), the
 * Default Host Management Configuration setting (GetServiceSetting), and Parameter Store (the
 * deployed service's settings: GetParameter(s), GetParametersByPath, PutParameter).
 */
import type {
  DescribeInstanceInformationRequest,
  DescribeInstancePropertiesRequest,
  GetParameterRequest,
  GetParametersByPathRequest,
  GetParametersRequest,
  GetServiceSettingRequest,
  InstanceProperty,
  PutParameterRequest,
} from '@aws-sdk/client-ssm';
import { copy, type Handlers, type SimContext } from './context.ts';
import { awsError, notImplemented } from './errors.ts';
import { hexId } from './ids.ts';
import { page } from './pagination.ts';
import type { World } from './world-schema.ts';
import type { WorldParameter } from './world-types.ts';

type Information = World['ssm']['InstanceInformationList'][number];

/** Filter keys and the field each reads (`PlatformTypes` → `PlatformType`, …). */
const INFORMATION_FIELDS: Record<string, (i: Information) => string | undefined> = {
  InstanceIds: (i) => i.InstanceId,
  AgentVersion: (i) => i.AgentVersion,
  PingStatus: (i) => i.PingStatus,
  PlatformTypes: (i) => i.PlatformType,
  ActivationIds: (i) => i.ActivationId,
  IamRole: (i) => i.IamRole,
  ResourceType: (i) => i.ResourceType,
  AssociationStatus: (i) => i.AssociationStatus,
};

function informationFilter(ctx: SimContext, key: string, values: readonly string[] | undefined) {
  if (!values?.length || values.length > 100) {
    throw awsError(
      'ssm',
      'InvalidInstanceInformationFilterValue',
      `The filter ${key} needs between 1 and 100 values.`,
    );
  }
  const wanted = new Set(values);
  if (key.startsWith('tag:') || key === 'tag-key') {
    // Tags of a managed node are its EC2 instance's tags.
    const tagsOf = (id: string | undefined) =>
      ctx.world.ec2.Instances.find((x) => x.InstanceId === id)?.Tags ?? [];
    return key === 'tag-key'
      ? (i: Information) => tagsOf(i.InstanceId).some((t) => wanted.has(t.Key ?? ''))
      : (i: Information) =>
          tagsOf(i.InstanceId).some((t) => t.Key === key.slice(4) && wanted.has(t.Value ?? ''));
  }
  // The legacy InstanceInformationFilterList spells keys in camelCase (`instanceIds`) in older docs.
  const field = Object.entries(INFORMATION_FIELDS).find(
    ([name]) => name.toLowerCase() === key.toLowerCase(),
  )?.[1];
  if (!field) throw awsError('ssm', 'InvalidFilterKey', `The filter key ${key} is not valid.`);
  return (i: Information) => wanted.has(field(i) ?? '');
}

/**
 * Where each registration sits in the list, rebuilt only when the list grows (registrations are
 * only ever added or changed in place): a 100,000-node account answers a filtered page without
 * scanning every registration.
 */
const indexes = new WeakMap<Information[], { length: number; positions: Map<string, number> }>();

function positionsOf(list: Information[]): Map<string, number> {
  const cached = indexes.get(list);
  if (cached && cached.length === list.length) return cached.positions;
  const positions = new Map(list.map((info, index) => [info.InstanceId ?? '', index]));
  indexes.set(list, { length: list.length, positions });
  return positions;
}

/** The registrations of these ids, in the list's order (as a scan of the list would give them). */
function byPosition(list: Information[], positions: Map<string, number>, ids: readonly string[]) {
  return [...new Set(ids)]
    .map((id) => positions.get(id) as number)
    .sort((a, b) => a - b)
    .map((index) => list[index] as Information);
}

function describeInstanceInformation(input: DescribeInstanceInformationRequest, ctx: SimContext) {
  if (input.Filters?.length && input.InstanceInformationFilterList?.length) {
    throw awsError(
      'ssm',
      'ValidationException',
      'Filters and InstanceInformationFilterList cannot be used together.',
    );
  }
  const predicates = [
    ...(input.Filters ?? []).map((f) => informationFilter(ctx, f.Key ?? '', f.Values)),
    ...(input.InstanceInformationFilterList ?? []).map((f) =>
      informationFilter(ctx, f.key ?? '', f.valueSet),
    ),
  ];
  // As SSM does: an InstanceIds filter naming an id that is not a managed node fails the request.
  const list = ctx.world.ssm.InstanceInformationList;
  const positions = positionsOf(list);
  const askedIds = [
    ...(input.Filters ?? [])
      .filter((f) => f.Key?.toLowerCase() === 'instanceids')
      .flatMap((f) => f.Values ?? []),
    ...(input.InstanceInformationFilterList ?? [])
      .filter((f) => f.key?.toLowerCase() === 'instanceids')
      .flatMap((f) => f.valueSet ?? []),
  ];
  const unregistered = askedIds.filter((id) => !positions.has(id));
  if (unregistered.length) {
    throw awsError(
      'ssm',
      'InvalidInstanceId',
      `Instances [[${unregistered.join(', ')}]] not in a valid state for account ${ctx.accountId}`,
    );
  }
  const scope = askedIds.length ? byPosition(list, positions, askedIds) : list;
  const matching = predicates.length ? scope.filter((i) => predicates.every((p) => p(i))) : scope;
  const { items, next } = page(
    'ssm',
    'DescribeInstanceInformation',
    matching,
    { size: input.MaxResults, token: input.NextToken },
    { min: 5, max: 50, defaultSize: 10 },
  );
  return { InstanceInformationList: items, NextToken: next };
}

/**
 * What the console's node list reads: the registrations as properties, in the same order, up to
 * 1,000 a page (DescribeInstanceInformation: 50). The fields that SSM copies from EC2 (type,
 * state, launch time, key, zone) are not simulated: nothing here reads them from SSM.
 */
function describeInstanceProperties(input: DescribeInstancePropertiesRequest, ctx: SimContext) {
  if (input.InstancePropertyFilterList?.length && input.FiltersWithOperator?.length) {
    throw awsError(
      'ssm',
      'ValidationException',
      'InstancePropertyFilterList and FiltersWithOperator cannot be used together.',
    );
  }
  const predicates = [
    ...(input.InstancePropertyFilterList ?? []).map((f) => informationFilter(ctx, f.key ?? '', f.valueSet)),
    ...(input.FiltersWithOperator ?? []).map((f) => {
      if (f.Operator && f.Operator !== 'Equal')
        throw notImplemented(`DescribeInstanceProperties with the ${f.Operator} operator`);
      return informationFilter(ctx, f.Key ?? '', f.Values);
    }),
  ];
  const list = ctx.world.ssm.InstanceInformationList;
  const matching = predicates.length ? list.filter((i) => predicates.every((p) => p(i))) : list;
  const { items, next } = page(
    'ssm',
    'DescribeInstanceProperties',
    matching,
    { size: input.MaxResults, token: input.NextToken },
    { min: 5, max: 1000, defaultSize: 50 },
  );
  return { InstanceProperties: items.map(propertiesOf), NextToken: next };
}

function propertiesOf(info: Information): InstanceProperty {
  return {
    InstanceId: info.InstanceId,
    PingStatus: info.PingStatus,
    LastPingDateTime: info.LastPingDateTime,
    AgentVersion: info.AgentVersion,
    PlatformType: info.PlatformType,
    PlatformName: info.PlatformName,
    PlatformVersion: info.PlatformVersion,
    ActivationId: info.ActivationId,
    IamRole: info.IamRole,
    RegistrationDate: info.RegistrationDate,
    ResourceType: info.ResourceType,
    ComputerName: info.ComputerName,
    IPAddress: info.IPAddress,
    AssociationStatus: info.AssociationStatus,
    SourceId: info.SourceId,
    SourceType: info.SourceType,
  } as InstanceProperty;
}

const DHMC_SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';

/** Settings AWS answers with a default when the account never changed them. */
const SETTING_DEFAULTS: Record<string, string> = {
  [DHMC_SETTING]: '$None',
  '/ssm/parameter-store/default-parameter-tier': 'Standard',
  '/ssm/parameter-store/high-throughput-enabled': 'false',
};

/** `SettingId` may be the path or the full `arn:…:servicesetting/ssm/…` ARN. */
const settingPath = (id: string) =>
  id.startsWith('arn:') ? id.slice(id.indexOf(':servicesetting') + 15) : id;

function getServiceSetting(input: GetServiceSettingRequest, ctx: SimContext) {
  const path = settingPath(input.SettingId ?? '');
  const arn = `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:servicesetting${path}`;
  const stored = ctx.world.ssm.ServiceSettings.find((s) => settingPath(s.SettingId) === path);
  if (stored) {
    return { ServiceSetting: { ARN: arn, Status: 'Customized', ...stored, SettingId: path } };
  }
  const value = SETTING_DEFAULTS[path];
  if (value === undefined) {
    throw awsError('ssm', 'ServiceSettingNotFound', `The service setting ${path} was not found.`);
  }
  return {
    ServiceSetting: {
      SettingId: path,
      SettingValue: value,
      ARN: arn,
      Status: 'Default',
      LastModifiedUser: 'System',
    },
  };
}

function parameterOutput(ctx: SimContext, p: WorldParameter, decrypt: boolean | undefined) {
  const encrypted = p.Type === 'SecureString' && !decrypt;
  return {
    ...p,
    // Without WithDecryption, a SecureString comes back as KMS ciphertext, not the value.
    Value: encrypted ? Buffer.from(`AQICAH${hexId(p.Value, 40)}`).toString('base64') : p.Value,
    Version: p.Version ?? 1,
    DataType: p.DataType ?? 'text',
    ARN: `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:parameter${p.Name.startsWith('/') ? '' : '/'}${p.Name}`,
  };
}

const findParameter = (ctx: SimContext, name: string | undefined) =>
  ctx.world.ssm.Parameters.find((p) => p.Name === name);

function getParameter(input: GetParameterRequest, ctx: SimContext) {
  const found = findParameter(ctx, input.Name);
  if (!found) throw awsError('ssm', 'ParameterNotFound', `Parameter ${input.Name} not found.`);
  return { Parameter: parameterOutput(ctx, found, input.WithDecryption) };
}

function getParameters(input: GetParametersRequest, ctx: SimContext) {
  const names = input.Names ?? [];
  if (names.length < 1 || names.length > 10) {
    throw awsError('ssm', 'ValidationException', 'Member must have length between 1 and 10 (names)');
  }
  const found = names.map((n) => findParameter(ctx, n));
  return {
    Parameters: found
      .filter((p) => p !== undefined)
      .map((p) => parameterOutput(ctx, p, input.WithDecryption)),
    InvalidParameters: names.filter((_, i) => !found[i]),
  };
}

function getParametersByPath(input: GetParametersByPathRequest, ctx: SimContext) {
  if (input.ParameterFilters?.length) throw notImplemented('ParameterFilters of ssm:GetParametersByPath');
  const path = input.Path ?? '';
  if (!path.startsWith('/')) {
    throw awsError(
      'ssm',
      'ValidationException',
      `The parameter path ${path} is not valid: it must begin with "/".`,
    );
  }
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const under = ctx.world.ssm.Parameters.filter(
    (p) => p.Name.startsWith(prefix) && (input.Recursive || !p.Name.slice(prefix.length).includes('/')),
  );
  const { items, next } = page(
    'ssm',
    'GetParametersByPath',
    under,
    { size: input.MaxResults, token: input.NextToken },
    { min: 1, max: 10, defaultSize: 10 },
  );
  return { Parameters: items.map((p) => parameterOutput(ctx, p, input.WithDecryption)), NextToken: next };
}

function putParameter(input: PutParameterRequest, ctx: SimContext) {
  const name = input.Name ?? '';
  if (!name || input.Value === undefined || input.Value === '') {
    throw awsError('ssm', 'ValidationException', 'A parameter name and a non-empty value are required.');
  }
  const existing = findParameter(ctx, name);
  if (existing && !input.Overwrite) {
    throw awsError(
      'ssm',
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
  const type = input.Type ?? existing?.Type;
  if (!type)
    throw awsError('ssm', 'ValidationException', 'A parameter type is required when you create a parameter.');
  const before = copy(existing);
  const after: WorldParameter = {
    ...existing,
    Name: name,
    Value: input.Value,
    Type: type,
    Version: (existing?.Version ?? (existing ? 1 : 0)) + 1,
    LastModifiedDate: ctx.now().toISOString(),
  };
  if (existing) Object.assign(existing, after);
  else ctx.world.ssm.Parameters.push(after);
  ctx.recordChange(name, before ?? null, after);
  return { Version: after.Version, Tier: 'Standard' };
}

export const ssmHandlers: Handlers = {
  DescribeInstanceInformation: describeInstanceInformation,
  DescribeInstanceProperties: describeInstanceProperties,
  GetServiceSetting: getServiceSetting,
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  PutParameter: putParameter,
};
