/**
 * The EC2 writes a remediation makes, with EC2's preconditions and errors:
 * AssociateIamInstanceProfile, ModifyInstanceMetadataOptions, and CreateTags (on instances) for
 * the marker a change leaves.
 */
import type {
  AssociateIamInstanceProfileRequest,
  CreateTagsRequest,
  ModifyInstanceMetadataOptionsRequest,
} from '@aws-sdk/client-ec2';
import { copy, type Handlers, type SimContext } from './context.ts';
import { associationIdOf, requireInstance } from './ec2-instances.ts';
import { checkWellFormed } from './ec2-lookup.ts';
import { awsError } from './errors.ts';
import { findProfileByArn, findProfileByName, profileArn, profileId } from './iam-model.ts';

function associateIamInstanceProfile(input: AssociateIamInstanceProfileRequest, ctx: SimContext) {
  checkWellFormed('instance', [input.InstanceId ?? '']);
  const instance = requireInstance(ctx, input.InstanceId);
  const { Arn, Name } = input.IamInstanceProfile ?? {};
  if (!Arn && !Name) {
    throw awsError(
      'ec2',
      'MissingParameter',
      'The request must contain the parameter iamInstanceProfile.arn or .name',
    );
  }
  if (instance.State.Name !== 'running' && instance.State.Name !== 'stopped') {
    throw awsError(
      'ec2',
      'IncorrectState',
      `The instance '${instance.InstanceId}' is not in the 'running' or 'stopped' states.`,
    );
  }
  if (instance.IamInstanceProfile) {
    throw awsError(
      'ec2',
      'IncorrectState',
      `There is an existing association for instance ${instance.InstanceId}`,
    );
  }
  const profile = Arn ? findProfileByArn(ctx, Arn) : findProfileByName(ctx.world, Name ?? '');
  if (!profile) {
    const [param, value, what] = Arn ? ['arn', Arn, 'ARN'] : ['name', Name, 'name'];
    throw awsError(
      'ec2',
      'InvalidParameterValue',
      `Value (${value}) for parameter iamInstanceProfile.${param} is invalid. Invalid IAM Instance Profile ${what}`,
    );
  }
  const attached = { Arn: profileArn(ctx, profile), Id: profileId(ctx, profile) };
  instance.IamInstanceProfile = attached;
  ctx.recordChange(instance.InstanceId, { IamInstanceProfile: null }, { IamInstanceProfile: attached });
  ctx.fixApplied([instance.InstanceId]);
  return {
    IamInstanceProfileAssociation: {
      AssociationId: associationIdOf(instance.InstanceId, attached.Arn),
      InstanceId: instance.InstanceId,
      IamInstanceProfile: attached,
      State: 'associating',
    },
  };
}

/** What an instance launched without explicit metadata options has (IMDSv1 allowed). */
const METADATA_DEFAULTS = {
  HttpTokens: 'optional',
  HttpPutResponseHopLimit: 1,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
};

const ENUMS: Record<string, readonly string[]> = {
  HttpTokens: ['optional', 'required'],
  HttpEndpoint: ['enabled', 'disabled'],
  HttpProtocolIpv6: ['enabled', 'disabled'],
  InstanceMetadataTags: ['enabled', 'disabled'],
};

/**
 * Sets the options; the answer says `pending` (the instance applies them asynchronously) and the
 * world stores them `applied`, which is what the next read reports.
 */
function modifyInstanceMetadataOptions(input: ModifyInstanceMetadataOptionsRequest, ctx: SimContext) {
  checkWellFormed('instance', [input.InstanceId ?? '']);
  const instance = requireInstance(ctx, input.InstanceId);
  if (instance.State.Name === 'terminated' || instance.State.Name === 'shutting-down') {
    throw awsError(
      'ec2',
      'IncorrectInstanceState',
      `The instance '${instance.InstanceId}' is not in a valid state for this operation.`,
    );
  }
  const changes: Record<string, string | number> = {};
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = input[key as keyof typeof input];
    if (value === undefined) continue;
    if (!allowed.includes(String(value))) {
      throw awsError(
        'ec2',
        'InvalidParameterValue',
        `Value (${String(value)}) for parameter ${key} is invalid.`,
      );
    }
    changes[key] = String(value);
  }
  const hops = input.HttpPutResponseHopLimit;
  if (hops !== undefined) {
    if (!Number.isInteger(hops) || hops < 1 || hops > 64) {
      throw awsError(
        'ec2',
        'InvalidParameterValue',
        `Value (${hops}) for parameter HttpPutResponseHopLimit is invalid.`,
      );
    }
    changes.HttpPutResponseHopLimit = hops;
  }
  const before = copy(instance.MetadataOptions);
  const after = { ...METADATA_DEFAULTS, ...before, ...changes, State: 'applied' };
  instance.MetadataOptions = after as typeof instance.MetadataOptions;
  ctx.recordChange(instance.InstanceId, { MetadataOptions: before ?? null }, { MetadataOptions: after });
  ctx.fixApplied([instance.InstanceId]);
  return { InstanceId: instance.InstanceId, InstanceMetadataOptions: { ...after, State: 'pending' } };
}

/** EC2's tag limits: 50 per resource, keys up to 128 characters, values up to 256, no `aws:` keys. */
const MAX_TAGS = 50;

/**
 * Adds or overwrites tags on instances (the only taggable resource the world holds). EC2 checks
 * every resource and tag before writing any, so a bad request changes nothing.
 */
function createTags(input: CreateTagsRequest, ctx: SimContext) {
  const ids = input.Resources ?? [];
  const tags = input.Tags ?? [];
  if (!ids.length || !tags.length) {
    throw awsError(
      'ec2',
      'MissingParameter',
      `The request must contain the parameter ${ids.length ? 'tags' : 'resourceIdSet'}`,
    );
  }
  for (const tag of tags) {
    const key = tag.Key ?? '';
    if (!key.length || key.length > 128 || (tag.Value ?? '').length > 256) {
      throw awsError('ec2', 'InvalidParameterValue', `Tag key or value for '${key}' is too long or empty.`);
    }
    if (/^aws:/i.test(key)) {
      throw awsError(
        'ec2',
        'InvalidParameterValue',
        "Tag keys starting with 'aws:' are reserved for internal use",
      );
    }
  }
  checkWellFormed('instance', ids);
  const instances = ids.map((id) => requireInstance(ctx, id));
  for (const instance of instances) {
    const keys = new Set([...(instance.Tags ?? []).map((t) => t.Key), ...tags.map((t) => t.Key)]);
    if (keys.size > MAX_TAGS) {
      throw awsError(
        'ec2',
        'TagLimitExceeded',
        `The maximum number of Tags for a resource has been reached.`,
      );
    }
  }
  for (const instance of instances) {
    const before = copy(instance.Tags ?? []);
    const after = [...before];
    for (const tag of tags) {
      const entry = { Key: tag.Key ?? '', Value: tag.Value ?? '' };
      const at = after.findIndex((t) => t.Key === entry.Key);
      if (at >= 0) after[at] = entry;
      else after.push(entry);
    }
    instance.Tags = after;
    ctx.recordChange(instance.InstanceId, { Tags: before }, { Tags: after });
  }
  return {};
}

export const ec2WriteHandlers: Handlers = {
  AssociateIamInstanceProfile: associateIamInstanceProfile,
  ModifyInstanceMetadataOptions: modifyInstanceMetadataOptions,
  CreateTags: createTags,
};
