/**
 * The deployed service, run here: the state machine definition synthesized from the real stack,
 * executed by aws-local-stepfunctions. Each Task state runs the real Lambda handler export of its
 * stage, as deployed: with the environment the template gives its function, only the SDK clients
 * that handler names, and under the role the template gives that function — the simulated account
 * authorizes every call against that role's statements (DynamoDB calls too, before they reach
 * dynalite on loopback), so a grant missing from the stack fails here as it would in AWS.
 * `npm run demo` and the workflow tests both run through this.
 */
import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { DEFAULT_SETTINGS, SETTING_SPECS } from '../../../lambdas/engine/settings.ts';
import type { Caller, CallFault } from '../../../lambdas/sim/account.ts';
import { SimulatedAccount, type TraceEntry, type World } from '../../../lambdas/sim/index.ts';
import { type DeployedStage, type LocalDeployment, localBucketName } from './deployment.ts';
import type { LocalDynamo } from './dynamo-local.ts';
import { STAGE_HANDLERS } from './handlers.ts';

export type Json = Parameters<StateMachine['run']>[0];
export type LocalEvent = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'];

export const SETTINGS_PREFIX = '/ssm-doctor/';

export interface LocalRunOptions {
  /** The synthesized template, deployed (test/support/local/deployment.ts). */
  deployment: LocalDeployment;
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
  /**
   * Breaks the table for a stage: return an error and that DynamoDB call throws it instead of
   * reaching dynalite (how tests make DynamoDB fail mid-stage).
   */
  tableFault?: (call: TableCall) => Error | undefined;
  /** Breaks AWS calls for this run (the state is the caller): e.g. S3 refusing a stage's work object. */
  callFault?: CallFault;
  /** Every AWS call the run makes (a new account only; an existing one keeps its own trace). */
  trace?: (entry: TraceEntry) => void;
  /** Wraps every task invocation (the benchmark measures each stage's memory this way). */
  aroundStage?: (state: string, invoke: () => Promise<Json>) => Promise<Json>;
}

export interface TableCall {
  /** The Task state making the call. */
  state: string;
  /** E.g. `PutItem`, `Query`. */
  operation: string;
  input: Record<string, unknown>;
}

export interface LocalRun {
  status: 'SUCCEEDED' | 'FAILED';
  output: unknown;
  error?: { Error: string; Cause: unknown };
  account: SimulatedAccount;
  events: NonNullable<LocalEvent>[];
  logs: { message: string; fields?: Record<string, unknown> }[];
  /** The execution's ARN (`$$.Execution.Id`), registered with the account. */
  executionArn: string;
}

/**
 * The world as a deploy of the stack leaves it: the settings in Parameter Store (defaults, then
 * overrides) and the stack's own instance profile and role, as the template defines them.
 */
export function deployedInto(
  world: World,
  deployment: LocalDeployment,
  overrides: Record<string, string> = {},
): World {
  return withStackProfile(seededParameters(world, overrides), deployment.instanceProfile);
}

function withStackProfile(world: World, stackProfile: LocalDeployment['instanceProfile']): World {
  if (world.iam?.InstanceProfiles?.some((p) => p.InstanceProfileName === stackProfile.name)) return world;
  const account = world.accountId;
  const role = {
    RoleName: stackProfile.roleName,
    Arn: `arn:aws:iam::${account}:role/${stackProfile.roleName}`,
    Path: '/',
    CreateDate: world.now ?? '2026-01-01T00:00:00Z',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    AttachedPolicies: stackProfile.managedPolicyArns.map((PolicyArn) => ({
      PolicyName: PolicyArn.slice(PolicyArn.lastIndexOf('/') + 1),
      PolicyArn,
    })),
  };
  const profile = {
    InstanceProfileName: stackProfile.name,
    Arn: `arn:aws:iam::${account}:instance-profile/${stackProfile.name}`,
    Path: '/',
    CreateDate: world.now ?? '2026-01-01T00:00:00Z',
    Roles: [{ RoleName: stackProfile.roleName, Arn: role.Arn }],
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

/** Whom a Task state's calls come from: its function's role, with the statements the template gives it. */
export function callerOf(account: SimulatedAccount, state: string, deployed: DeployedStage): Caller {
  return {
    label: state,
    principalArn: account.assumedRoleArn(deployed.roleName, deployed.functionId),
    policies: deployed.policies,
  };
}

/** The stack's report bucket, as a local run names it. */
export const reportBucketOf = (account: SimulatedAccount) =>
  localBucketName(account.accountId, account.region);

export async function runLocally(options: LocalRunOptions): Promise<LocalRun> {
  const { deployment } = options;
  const account =
    options.account ??
    new SimulatedAccount(deployedInto(options.world, deployment, options.settings), {
      ...(options.trace ? { trace: options.trace } : {}),
    });
  account.injectFault(options.callFault);
  const logs: LocalRun['logs'] = [];
  const stages: Record<string, (input: Json) => Promise<Json>> = {};
  for (const [state, deployed] of Object.entries(deployment.stages)) {
    const caller = callerOf(account, state, deployed);
    const invoke = STAGE_HANDLERS[deployed.stage].withRuntime({
      env: { ...deployed.env, AWS_REGION: account.region },
      clients: { simulated: account, caller, retry: 'immediate' },
      dynamo: withTableFault(account.guard(options.dynamo.newClient(), caller), state, options.tableFault),
      clock: () => account.now(),
      log: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
      metrics: () => undefined,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    const call = (input: Json) => invoke(input as never) as Promise<Json>;
    const around = options.aroundStage;
    stages[state] = around ? (input) => around(state, () => call(input)) : call;
  }
  Object.assign(stages, options.stageOverrides);
  const machine = validatedMachine(deployment.definition);
  // Step Functions' own run id (`$$.Execution.Name`) and execution ARN (`$$.Execution.Id`), which
  // the account knows as RUNNING until the run ends (the remediate stage asks it).
  const name = options.executionName ?? `local-${randomUUID()}`;
  const executionArn = `${deployment.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  account.registerExecution({ executionArn, stateMachineArn: deployment.stateMachineArn, name });
  const execution = machine.run(
    { trigger: 'local' },
    {
      context: { Execution: { Id: executionArn, Name: name } },
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
    const output = await execution.result.finally(() => account.injectFault(undefined));
    await collecting;
    account.endExecution(executionArn, 'SUCCEEDED');
    return { status: 'SUCCEEDED', output, account, events, logs, executionArn };
  } catch (error) {
    account.endExecution(executionArn, 'FAILED');
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
      executionArn,
    };
  }
}

/** The definitions asl-validator accepted in this process, as JSON. */
const validDefinitions = new Set<string>();

/**
 * The state machine, its definition validated (asl-validator, paths checked) the first time this
 * process runs it. asl-validator compiles its JSON schemas anew on every call, most of a second:
 * a test file running the same definition ten times would pay it ten times for one answer.
 */
function validatedMachine(definition: LocalDeployment['definition']): StateMachine {
  const text = JSON.stringify(definition);
  const known = validDefinitions.has(text);
  const machine = new StateMachine(definition, {
    validationOptions: known ? { noValidate: true } : { checkPaths: true, checkArn: false },
  });
  validDefinitions.add(text);
  return machine;
}

function withTableFault<C extends ReturnType<LocalDynamo['newClient']>>(
  client: C,
  state: string,
  fault: LocalRunOptions['tableFault'],
): C {
  if (!fault) return client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const error = fault({ state, operation, input: args.input as Record<string, unknown> });
      if (error) throw error;
      return next(args);
    },
    { step: 'initialize', name: 'localTableFault' },
  );
  return client;
}
