/**
 * The deployed service, run here: the state machine definition synthesized from the real stack,
 * executed by aws-local-stepfunctions, each task mapped to the real workflow stage its Lambda
 * handler calls, AWS served by the simulated account and DynamoDB by dynalite on loopback.
 * `npm run demo` and the workflow tests both run through this.
 */
import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { createClients } from '../../../lambdas/aws/clients.ts';
import { DEFAULT_SETTINGS, SETTING_SPECS } from '../../../lambdas/engine/settings.ts';
import { SimulatedAccount, type World } from '../../../lambdas/sim/index.ts';
import type { NotifyFailureInput } from '../../../lambdas/workflow/contract.ts';
import type { StageDeps } from '../../../lambdas/workflow/deps.ts';
import { diagnoseBatch } from '../../../lambdas/workflow/stages/diagnose-batch.ts';
import { notifyFailure } from '../../../lambdas/workflow/stages/notify-failure.ts';
import { remediateRun } from '../../../lambdas/workflow/stages/remediate.ts';
import { reportRun } from '../../../lambdas/workflow/stages/report.ts';
import { startRun } from '../../../lambdas/workflow/stages/start-run.ts';
import { verifyRun } from '../../../lambdas/workflow/stages/verify.ts';
import { RunStore } from '../../../lambdas/workflow/store.ts';
import type { LocalDynamo } from './dynamo-local.ts';

type Json = Parameters<StateMachine['run']>[0];
export type LocalEvent = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'];

export const SETTINGS_PREFIX = '/ssm-doctor/';

export interface LocalRunOptions {
  definition: StateMachineDefinition;
  world: World;
  dynamo: LocalDynamo;
  /** Setting overrides by parameter name, e.g. `{ 'remediation-mode': 'on' }`; the rest take the stack defaults. */
  settings?: Record<string, string>;
  /** Candidates per batch (the Lambda default is 100). */
  batchSize?: number;
  onEvent?: (event: NonNullable<LocalEvent>) => void;
  /** Replace a stage (by state name) — how tests make a task fail. */
  stageOverrides?: Record<string, (input: Json) => Promise<Json>>;
  /** The execution name, which is the run id (default: a fresh one). */
  executionName?: string;
  /** An already-built account, e.g. to run twice against the same changing world. */
  account?: SimulatedAccount;
}

export interface LocalRun {
  status: 'SUCCEEDED' | 'FAILED';
  output: unknown;
  error?: { Error: string; Cause: unknown };
  account: SimulatedAccount;
  events: NonNullable<LocalEvent>[];
  logs: { message: string; fields?: Record<string, unknown> }[];
}

/** The instance profile the stack creates for `attach-instance-profile`, and its role. */
export const STACK_PROFILE = 'ssm-doctor-remediation';
const STACK_ROLE = 'ssm-doctor-remediation-role';

/**
 * The world as a deploy of the stack leaves it: the settings in Parameter Store (defaults, then
 * overrides) and the stack's own instance profile, whose role carries AmazonSSMManagedInstanceCore.
 */
export function deployedInto(world: World, overrides: Record<string, string> = {}): World {
  return withStackProfile(seededParameters(world, overrides));
}

function withStackProfile(world: World): World {
  if (world.iam?.InstanceProfiles?.some((p) => p.InstanceProfileName === STACK_PROFILE)) return world;
  const account = world.accountId;
  const role = {
    RoleName: STACK_ROLE,
    RoleId: 'AROASSMDOCTORREMEDIATION',
    Arn: `arn:aws:iam::${account}:role/${STACK_ROLE}`,
    Path: '/',
    CreateDate: world.now ?? '2026-01-01T00:00:00Z',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    AttachedPolicies: [
      {
        PolicyName: 'AmazonSSMManagedInstanceCore',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      },
    ],
  };
  const profile = {
    InstanceProfileName: STACK_PROFILE,
    InstanceProfileId: 'AIPASSMDOCTORREMEDIATION',
    Arn: `arn:aws:iam::${account}:instance-profile/${STACK_PROFILE}`,
    Path: '/',
    CreateDate: world.now ?? '2026-01-01T00:00:00Z',
    Roles: [{ RoleName: STACK_ROLE, Arn: role.Arn }],
  };
  return {
    ...world,
    iam: {
      ...world.iam,
      Roles: [...(world.iam?.Roles ?? []), role],
      InstanceProfiles: [...(world.iam?.InstanceProfiles ?? []), profile],
    },
  } as World;
}

/**
 * The stack's parameters as Parameter Store would hold them after a deploy: a setting the world
 * already holds (`ssm.Parameters`) keeps its value, the others get the stack defaults, and
 * `overrides` (tests) win over both. One entry per name, as Parameter Store has.
 */
export function seededParameters(world: World, overrides: Record<string, string> = {}): World {
  const existing = world.ssm?.Parameters ?? [];
  const own = new Set(existing.map((p) => p.Name));
  const defaults = Object.entries(SETTING_SPECS).flatMap(([key, spec]) => {
    const Name = `${SETTINGS_PREFIX}${spec.parameter}`;
    const Value = String(DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]);
    return own.has(Name) ? [] : [{ Name, Value, Type: 'String' }];
  });
  const override = new Map(
    Object.entries(overrides).map(([name, value]) => [`${SETTINGS_PREFIX}${name}`, value]),
  );
  const parameters = [...existing, ...defaults].map((p) =>
    override.has(p.Name) ? { ...p, Value: override.get(p.Name) as string } : p,
  );
  for (const [Name, Value] of override)
    if (!parameters.some((p) => p.Name === Name)) parameters.push({ Name, Value, Type: 'String' });
  return { ...world, ssm: { ...world.ssm, Parameters: parameters } } as World;
}

export function topicArnOf(account: SimulatedAccount): string {
  return `arn:aws:sns:${account.region}:${account.accountId}:ssm-doctor-notifications`;
}

/** The stack's report bucket, as a local run names it. */
export const reportBucketOf = (account: SimulatedAccount) =>
  `ssm-doctor-reports-${account.accountId}-${account.region}`;

export async function runLocally(options: LocalRunOptions): Promise<LocalRun> {
  const account = options.account ?? new SimulatedAccount(deployedInto(options.world, options.settings));
  const logs: LocalRun['logs'] = [];
  const deps: StageDeps = {
    clients: createClients({ region: account.region, simulated: account }),
    store: new RunStore(options.dynamo.client, options.dynamo.tableName, () => account.now()),
    clock: () => account.now(),
    settingsPrefix: SETTINGS_PREFIX,
    topicArn: topicArnOf(account),
    reportBucket: reportBucketOf(account),
    instanceProfileName: STACK_PROFILE,
    batchSize: options.batchSize ?? 100,
    log: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
  };
  const stages: Record<string, (input: Json) => Promise<Json>> = {
    'Start run': (input) => startRun(deps, input as never) as unknown as Promise<Json>,
    'Diagnose batch': (input) => diagnoseBatch(deps, input as never) as unknown as Promise<Json>,
    'Plan and apply fixes': (input) => remediateRun(deps, input as never) as unknown as Promise<Json>,
    Verify: (input) => verifyRun(deps, input as never) as unknown as Promise<Json>,
    'Report and notify': (input) => reportRun(deps, input as never) as unknown as Promise<Json>,
    'Notify failure': (input) =>
      notifyFailure(deps, input as NotifyFailureInput, account.accountId) as unknown as Promise<Json>,
    ...options.stageOverrides,
  };
  const machine = new StateMachine(options.definition, {
    validationOptions: { checkPaths: true, checkArn: false },
  });
  const execution = machine.run(
    { trigger: 'local' },
    {
      // Step Functions' own run id: `$$.Execution.Name`.
      context: { Execution: { Name: options.executionName ?? `local-${randomUUID()}` } },
      overrides: {
        taskResourceLocalHandlers: stages,
        waitTimeOverrides: { 'Wait for agents': 0 },
        retryIntervalOverrides: Object.fromEntries(Object.keys(stages).map((name) => [name, 0])),
      },
    },
  );
  const events: NonNullable<LocalEvent>[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, account, events, logs };
  } catch (error) {
    await collecting.catch(() => undefined);
    const failed = events.find((e) => e.type === 'ExecutionFailed') as
      | { Error?: string; Cause?: unknown }
      | undefined;
    return {
      status: 'FAILED',
      output: undefined,
      error: {
        Error: failed?.Error ?? (error as Error).name,
        Cause: failed?.Cause ?? (error as Error).message,
      },
      account,
      events,
      logs,
    };
  }
}
