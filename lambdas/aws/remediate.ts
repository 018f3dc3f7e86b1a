/**
 * The three writes, each behind its own re-read (Cloud Custodian's habit: check, then act, only
 * from an allowed state). Every call returns a value with a record, never throws: once a run has
 * started changing an account, a crash would leave applied fixes without a report. Which fixes to
 * run, in what order and how many is the applier's business (pipeline/apply.ts), not this file's.
 */

import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  AssociateIamInstanceProfileCommand,
  CreateTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  type EC2Client,
  type Instance,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  GetInstanceProfileCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CauseCode } from '../engine/causes.ts';
import { describeProblem } from '../engine/readout.ts';
import { describeFailure } from '../engine/remediation/failures.ts';
import { CHANGE_MARKER_TAG, changeMarkerValue, corePolicyArn, FIXES } from '../engine/remediation/fixes.ts';
import type { FixId, RemediationRecord, SkipReason } from '../engine/report-model.ts';
import { isOptedOut, OPT_OUT_TAG, optOutLabel } from '../engine/tags.ts';
import { type AwsErrorLike, attempt, errorCode, isAwsError } from './errors.ts';
import { profileNameOf } from './iam.ts';
import { readMetadataNoToken } from './instance.ts';
import { describeInstances } from './inventory.ts';
import { drain } from './paging.ts';
import { assessRole } from './role-assessment.ts';

export type ActionResult =
  | { status: 'applied'; record: RemediationRecord }
  | { status: 'skipped'; reason: SkipReason; record: RemediationRecord }
  | { status: 'failed'; reason: string; record: RemediationRecord };

export interface ActionContext {
  ec2: EC2Client;
  iam: IAMClient;
  cloudwatch: CloudWatchClient;
  /** The record's time: the caller's clock (the simulated account's in tests). */
  at: string;
}

/** Raised by a re-read that finds a reason not to act; turned into `skipped` below. */
class Skip {
  constructor(
    readonly reason: SkipReason,
    readonly message: string,
    readonly before?: unknown,
  ) {}
}

async function run(
  fix: FixId,
  context: ActionContext,
  act: (record: RemediationRecord) => Promise<RemediationRecord>,
): Promise<ActionResult> {
  const record: RemediationRecord = { at: context.at, operation: FIXES[fix].operation };
  try {
    return { status: 'applied', record: noteMarker(await act(record)) };
  } catch (error) {
    if (error instanceof Skip) {
      const skipped = {
        ...record,
        message: error.message,
        ...(error.before ? { before: error.before } : {}),
      };
      return { status: 'skipped', reason: error.reason, record: skipped };
    }
    // Anything else becomes `failed` with its code: expected AWS errors by name, and even the
    // unexpected, so the run goes on and every fix it attempted is in the report.
    const code = errorCode(error);
    const text = (error as AwsErrorLike)?.message ?? String(error);
    const message = isAwsError(error) ? describeFailure(fix, code, text) : `unexpected error: ${text}`;
    const requestId = (error as AwsErrorLike)?.$metadata?.requestId;
    return {
      status: 'failed',
      reason: `${code}: ${message}`,
      record: { ...record, errorCode: code, message, ...(requestId ? { requestId } : {}) },
    };
  }
}

/** The marker tag as it went (or failed to go) onto what a fix changed; kept in the record's `after`. */
export interface ChangeMarker {
  tag: typeof CHANGE_MARKER_TAG;
  value: string;
  written: boolean;
  /** Why it was not written (`code: message`): the change itself stands. */
  error?: string;
}

/**
 * Tags what a fix just changed (`ssm-doctor:changed` = fix and time). Called only after the
 * change succeeded, and never throws: a marker that could not be written (denied, throttled,
 * an outage) must not turn an applied change into a failure or lose its record, so the outcome
 * says so instead.
 */
async function markChanged(
  context: ActionContext,
  fix: FixId,
  changed: { instanceId: string } | { roleName: string },
): Promise<ChangeMarker> {
  const value = changeMarkerValue(fix, context.at);
  const tag = { Key: CHANGE_MARKER_TAG, Value: value };
  try {
    await ('instanceId' in changed
      ? context.ec2.send(new CreateTagsCommand({ Resources: [changed.instanceId], Tags: [tag] }))
      : context.iam.send(new TagRoleCommand({ RoleName: changed.roleName, Tags: [tag] })));
    return { tag: CHANGE_MARKER_TAG, value, written: true };
  } catch (error) {
    const text = (error as AwsErrorLike)?.message ?? String(error);
    return { tag: CHANGE_MARKER_TAG, value, written: false, error: `${errorCode(error)}: ${text}` };
  }
}

/** An applied change whose marker could not be written says so in its message (the change stands). */
function noteMarker(record: RemediationRecord): RemediationRecord {
  const marker = (record.after as { marker?: ChangeMarker } | undefined)?.marker;
  if (!marker || marker.written) return record;
  return { ...record, message: `applied; the ${marker.tag} tag could not be written (${marker.error})` };
}

/** The instance as it is now, if it may still be changed: running and not opted out. */
async function actionable(ec2: EC2Client, instanceId: string): Promise<Instance> {
  // A filter (not InstanceIds), in any state: a vanished id is absent, not an error.
  const [instance] = await describeInstances(ec2, [{ Name: 'instance-id', Values: [instanceId] }]);
  if (!instance) throw new Skip('not-running', `${instanceId} no longer exists`);
  const state = instance.State?.Name ?? 'unknown';
  if (state !== 'running') throw new Skip('not-running', `${instanceId} is ${state}`, { state });
  if (isOptedOut(instance.Tags))
    throw new Skip('opted-out', `${instanceId} is tagged ${optOutLabel(instance.Tags)}`);
  return instance;
}

const sameProfile = (arnOrName: string, arn: string | undefined) =>
  !!arn && (arn === arnOrName || profileNameOf(arn) === profileNameOf(arnOrName));

/** What an action is told: the finding's instance, the plan's target, and where it runs. */
export interface ActionTarget {
  instanceId: string;
  /** The instance id, or the role name for `attach-core-policy`. */
  target: string;
  causes: readonly CauseCode[];
  /** The profile the plan saw on the instance. */
  instanceProfileArn?: string;
  partition: string;
  /** The profile `attach-instance-profile` associates: a name or an ARN. */
  instanceProfile?: string;
  imdsV1LookbackDays: number;
}

/** `ec2:AssociateIamInstanceProfile`, only while the instance has no profile and no association under way. */
export function attachInstanceProfile(context: ActionContext, given: ActionTarget): Promise<ActionResult> {
  if (!given.instanceProfile) return Promise.resolve(notConfigured(context.at));
  const target = { instanceId: given.instanceId, profile: given.instanceProfile };
  return run('attach-instance-profile', context, async (record) => {
    const instance = await actionable(context.ec2, target.instanceId);
    // DescribeInstances can lag an association that is still `associating`: ask for those too.
    const { IamInstanceProfileAssociations: associations = [] } = await context.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [target.instanceId] },
          { Name: 'state', Values: ['associating', 'associated'] },
        ],
      }),
    );
    const existing = instance.IamInstanceProfile?.Arn ?? associations[0]?.IamInstanceProfile?.Arn;
    const before = { instanceProfileArn: existing ?? null };
    if (existing) {
      throw sameProfile(target.profile, existing)
        ? new Skip('already-fixed', `${target.instanceId} already has ${existing}`, before)
        : new Skip(
            'changed-since-planning',
            `${target.instanceId} has had ${existing} since planning`,
            before,
          );
    }
    const profile = target.profile.startsWith('arn:') ? { Arn: target.profile } : { Name: target.profile };
    const response = await context.ec2.send(
      new AssociateIamInstanceProfileCommand({ InstanceId: target.instanceId, IamInstanceProfile: profile }),
    );
    const association = response.IamInstanceProfileAssociation;
    const marker = await markChanged(context, 'attach-instance-profile', { instanceId: target.instanceId });
    return {
      ...record,
      before,
      after: {
        instanceProfileArn: association?.IamInstanceProfile?.Arn ?? null,
        associationId: association?.AssociationId ?? null,
        state: association?.State ?? null,
        marker,
      },
      ...requestIdOf(response),
    };
  });
}

/**
 * `iam:AttachRolePolicy` of the core policy, only while the instance still reaches the role, the
 * role may still be changed and still can be helped (re-assessed now: its tags, trust, every
 * instance that uses it through any of its profiles), and the policy is not attached yet.
 */
export function attachCorePolicy(context: ActionContext, target: ActionTarget): Promise<ActionResult> {
  return run('attach-core-policy', context, async (record) => {
    const roleName = target.target;
    const instance = await actionable(context.ec2, target.instanceId);
    const profileArn = instance.IamInstanceProfile?.Arn;
    if (profileArn !== target.instanceProfileArn) {
      throw new Skip('changed-since-planning', `${target.instanceId} now uses ${profileArn ?? 'no profile'}`);
    }
    const { InstanceProfile } = await context.iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: profileNameOf(profileArn ?? '') }),
    );
    const held = InstanceProfile?.Roles?.[0]?.RoleName;
    if (held !== roleName) {
      throw new Skip('changed-since-planning', `${profileArn} now holds ${held ?? 'no role'}`);
    }
    const role = await assessRole(context, roleName, {
      ...(target.instanceProfile ? { ownProfile: target.instanceProfile } : {}),
    });
    if (!role) throw new Skip('role-unreadable', `role ${roleName} could not be re-read`);
    const attached = await drain(
      paginateListAttachedRolePolicies({ client: context.iam }, { RoleName: roleName }),
      (page) => page.AttachedPolicies,
    );
    const policyArns = attached.map((p) => p.PolicyArn ?? '').filter(Boolean);
    const others = role.users.filter((id) => id !== target.instanceId);
    const before = {
      roleName,
      attachedPolicyArns: policyArns,
      alsoAffects: others.slice(0, 50),
      users: role.users.length,
    };
    const policyArn = corePolicyArn(target.partition);
    if (policyArns.includes(policyArn)) {
      throw new Skip('already-fixed', `${roleName} already has ${policyArn}`, before);
    }
    if (role.blocked) throw new Skip(role.blocked.reason, role.blocked.detail, before);
    if (role.optedOutUsers.length) {
      throw new Skip(
        'shared-with-opted-out',
        `role ${roleName} is also used by ${role.optedOutUsers.join(', ')}, opted out with ${OPT_OUT_TAG}`,
        before,
      );
    }
    const response = await context.iam.send(
      new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }),
    );
    // IAM reads are eventually consistent: a re-read could still miss the attachment that just
    // succeeded, so the after-state is what the successful call made it.
    const marker = await markChanged(context, 'attach-core-policy', { roleName });
    return {
      ...record,
      before,
      after: { roleName, attachedPolicyArns: [...policyArns, policyArn], marker },
      ...requestIdOf(response),
    };
  });
}

/**
 * `ec2:ModifyInstanceMetadataOptions` endpoint on + tokens required, only from the state the plan
 * saw, and (tokens optional) only while CloudWatch still shows no IMDSv1 call over the look-back.
 */
export function enforceImdsV2(context: ActionContext, target: ActionTarget): Promise<ActionResult> {
  return run('enforce-imdsv2', context, async (record) => {
    const instance = await actionable(context.ec2, target.instanceId);
    const options = instance.MetadataOptions ?? {};
    const before = { httpEndpoint: options.HttpEndpoint ?? null, httpTokens: options.HttpTokens ?? null };
    const disabled = options.HttpEndpoint === 'disabled';
    const endpointWasDisabled = target.causes.includes('IMDS_DISABLED');
    if (!disabled && options.HttpTokens === 'required') {
      throw new Skip('already-fixed', `${target.instanceId} already requires IMDSv2`, before);
    }
    // The IMDSv1 guard was skipped only because the endpoint was off; an endpoint switched on
    // since then may have IMDSv1 users, and one switched off since was switched off on purpose.
    if (disabled !== endpointWasDisabled) {
      const now = disabled ? 'disabled' : 'enabled';
      throw new Skip(
        'changed-since-planning',
        `${target.instanceId}'s metadata endpoint is ${now} now`,
        before,
      );
    }
    if (!disabled) {
      const usage = (
        await readMetadataNoToken(
          context.cloudwatch,
          [target.instanceId],
          new Date(context.at),
          target.imdsV1LookbackDays,
        )
      ).get(target.instanceId);
      if (!usage?.ok) throw new Skip('imdsv1-usage-unknown', 'MetadataNoToken could not be re-read', before);
      if (usage.value > 0) {
        throw new Skip(
          'imdsv1-in-use',
          `${usage.value} IMDSv1 calls in ${target.imdsV1LookbackDays} days`,
          before,
        );
      }
    }
    const response = await context.ec2.send(
      new ModifyInstanceMetadataOptionsCommand({
        InstanceId: target.instanceId,
        HttpEndpoint: 'enabled',
        HttpTokens: 'required',
      }),
    );
    const after = response.InstanceMetadataOptions;
    const marker = await markChanged(context, 'enforce-imdsv2', { instanceId: target.instanceId });
    return {
      ...record,
      before,
      after: {
        httpEndpoint: after?.HttpEndpoint ?? 'enabled',
        httpTokens: after?.HttpTokens ?? 'required',
        state: after?.State ?? null,
        marker,
      },
      ...requestIdOf(response),
    };
  });
}

/** Each fix's action, by id: the type demands one for every fix in `FIXES`. */
export const ACTIONS: {
  readonly [K in FixId]: (context: ActionContext, target: ActionTarget) => Promise<ActionResult>;
} = {
  'attach-instance-profile': attachInstanceProfile,
  'attach-core-policy': attachCorePolicy,
  'enforce-imdsv2': enforceImdsV2,
};

function requestIdOf(response: { $metadata?: { requestId?: string } }): { requestId?: string } {
  const requestId = response.$metadata?.requestId;
  return requestId ? { requestId } : {};
}

function notConfigured(at: string): ActionResult {
  const message = 'no instance profile was configured to associate (CLI --instance-profile)';
  return {
    status: 'failed',
    reason: `NoInstanceProfileConfigured: ${message}`,
    record: {
      at,
      operation: 'ec2:AssociateIamInstanceProfile',
      errorCode: 'NoInstanceProfileConfigured',
      message,
    },
  };
}

/** Why no write may happen now (every planned change is then `skipped` with this reason). */
export interface WriteHold {
  reason: SkipReason;
  message: string;
}

export interface OwnExecution {
  /** `$$.Execution.Id` as the state machine passed it; absent when the function was invoked directly. */
  executionArn: string | undefined;
  /** This stack's state machine (`STATE_MACHINE_ARN`). */
  stateMachineArn: string;
  /** The run id, which is the execution's name. */
  runId: string;
}

/**
 * Act only on what is real now: a change is made only while the run's own execution is `RUNNING`
 * on this stack's state machine, and is named after the run. The table and the invocation are
 * not trusted: a direct invocation (no execution), a finished or stopped execution, one of
 * another state machine, or one of another run holds every write. Denied or gone: held too
 * (never guess in favour of a change); an outage is rethrown so the workflow retries the stage.
 */
export async function ownExecutionHold(sfn: SFNClient, own: OwnExecution): Promise<WriteHold | undefined> {
  const hold = (message: string): WriteHold => ({ reason: 'changed-since-planning', message });
  if (!own.executionArn) return hold('invoked outside its workflow execution: nothing is changed');
  const read = await attempt(
    'states:DescribeExecution',
    () => sfn.send(new DescribeExecutionCommand({ executionArn: own.executionArn })),
    ['denied', 'throttled', 'ExecutionDoesNotExist', 'InvalidArn'],
  );
  if (!read.ok) {
    return hold(
      `execution ${own.executionArn} could not be confirmed running (${describeProblem(read.problem)})`,
    );
  }
  const { status, stateMachineArn, name } = read.value;
  if (stateMachineArn !== own.stateMachineArn)
    return hold(`execution ${own.executionArn} is not one of this stack's state machine`);
  if (name !== own.runId) return hold(`execution ${own.executionArn} is not run ${own.runId}`);
  if (status !== 'RUNNING')
    return hold(`execution ${own.executionArn} is ${status ?? 'unknown'}, not RUNNING`);
  return undefined;
}
