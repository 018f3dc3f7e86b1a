/**
 * The EC2 writes a remediation makes, with EC2's preconditions and errors:
 * AssociateIamInstanceProfile and ModifyInstanceMetadataOptions.
 */
import type {
  AssociateIamInstanceProfileRequest,
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

export const ec2WriteHandlers: Handlers = {
  AssociateIamInstanceProfile: associateIamInstanceProfile,
  ModifyInstanceMetadataOptions: modifyInstanceMetadataOptions,
};
