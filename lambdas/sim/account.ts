/**
 * A simulated AWS account: a world file served to the real SDK v3 clients. `attach(client)` adds
 * one middleware at `finalizeRequest`/`low`, which runs after the SDK has serialized and signed the
 * request and inside its retry middleware (`finalizeRequest`/`high`), and answers without calling
 * `next`: no HTTP request is ever built into a socket. Retries, paginators, error classes and
 * adapters are therefore the SDK's own; every attempt (retried ones too) is counted per action.
 *
 * Clients given to the simulator need a region and credentials of their own; signing runs before
 * the simulator and needs no network with static credentials (`clientConfig()` supplies both).
 * Attach before the first `send` if the client was built with `cacheMiddleware: true`.
 */
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import {
  type AuthorizationRequest,
  authorize,
  type Caller,
  denialCode,
  denialMessage,
  serviceMessage,
} from './authorization.ts';
import { cloudwatchHandlers } from './cloudwatch.ts';
import { type ChangeRecord, copy, type Handlers, type PublishedMessage, type SimContext } from './context.ts';
import { ec2Handlers } from './ec2.ts';
import { awsError, isAwsError, notImplemented } from './errors.ts';
import { eventsHandlers, type PutEvent } from './events.ts';
import { iamHandlers } from './iam.ts';
import { newRequestId, partitionOf } from './ids.ts';
import { bringOnline } from './online.ts';
import { decodePolicyDocument } from './policy-document.ts';
import { actionMatches } from './policy-evaluation.ts';
import { streamedBodyOf } from './request-body.ts';
import { authorizationRequests, dynamoRequests } from './request-context.ts';
import { route53Handlers, route53ResolverHandlers } from './route53.ts';
import { type StoredObject, s3Handlers } from './s3.ts';
import { actionOf, type ServicePrefix, serviceForClient } from './sdk-services.ts';
import { outputProjector } from './sdk-shapes.ts';
import { type ExecutionStatus, type SimExecution, sfnHandlers } from './sfn.ts';
import { snsHandlers } from './sns.ts';
import { ssmHandlers } from './ssm.ts';
import { stsHandlers } from './sts.ts';
import type { World } from './world-schema.ts';

export type { AuthorizationRequest, Caller } from './authorization.ts';

/** A test's fault: the call (who, what, with which input) → the error to throw, or nothing. */
export type CallFault = (call: {
  caller: string | undefined;
  action: string;
  input: object;
}) => Error | undefined;
export type { ChangeRecord, PublishedMessage } from './context.ts';
export type { PutEvent } from './events.ts';
export type { StoredObject } from './s3.ts';
export type { ExecutionStatus, SimExecution } from './sfn.ts';

/** One AWS call the account served (or refused), for `--trace`: who, what, on what, allowed. */
export interface TraceEntry {
  state: string;
  action: string;
  resource: string;
  allowed: boolean;
  /** Everything the call was authorized against (resources and condition keys), for tests. */
  requests: AuthorizationRequest[];
}

export interface SimulatedAccountOptions {
  /** Each call waits this long before answering (benchmarks). */
  latencyMs?: number;
  /** The simulated clock; default: the world's `now`, else real time. */
  clock?: () => Date;
  /** Called for every call from a client attached with a caller. */
  trace?: (entry: TraceEntry) => void;
}

/** Static credentials for clients served by the simulator (signing then needs no provider chain). */
export const SIMULATED_CREDENTIALS = {
  accessKeyId: 'AKIASIMULATED0000000',
  secretAccessKey: 'simulated-secret',
};

const HANDLERS: Readonly<Record<ServicePrefix, Handlers>> = {
  ec2: ec2Handlers,
  ssm: ssmHandlers,
  iam: iamHandlers,
  cloudwatch: cloudwatchHandlers,
  sns: snsHandlers,
  sts: stsHandlers,
  s3: s3Handlers,
  events: eventsHandlers,
  states: sfnHandlers,
  route53: route53Handlers,
  route53resolver: route53ResolverHandlers,
};

const MIDDLEWARE_NAME = 'ssmDoctorSimulatedAccount';

/** Any SDK v3 client: all we need is its middleware stack. */
// biome-ignore lint/suspicious/noExplicitAny: every client's stack has its own Input/Output unions.
type AnyClient = { middlewareStack: MiddlewareStack<any, any> };

export class SimulatedAccount {
  /**
   * Every write to the world, in order, with before/after (what `--save-world` would persist).
   * SNS messages are not world state: they go to `published`.
   */
  readonly changes: ChangeRecord[] = [];
  /** Every SNS message published (nothing is delivered). */
  readonly published: PublishedMessage[] = [];
  /** Every S3 object written, in order (a later write of the same key is a later entry). */
  readonly objects: StoredObject[] = [];
  /** Every EventBridge event accepted, in order. */
  readonly events: PutEvent[] = [];
  readonly #world: World;
  /** Step Functions executions run against this account (`registerExecution`), by ARN. */
  readonly #executions = new Map<string, SimExecution>();
  readonly #latencyMs: number;
  readonly #clock: (() => Date) | undefined;
  readonly #counts = new Map<string, number>();
  #callFault: CallFault | undefined;

  /**
   * Makes calls fail from outside the world (tests): `fault` is asked about every call of an
   * attached client, after authorization; an error it returns is thrown instead of the answer.
   */
  injectFault(fault: CallFault | undefined): void {
    this.#callFault = fault;
  }

  /** Calls left per `simulation.faults` entry (`undefined`: always). */
  readonly #faultsLeft: (number | undefined)[];
  /** Where trace entries go; settable after construction (the demo opens its file late). */
  trace: ((entry: TraceEntry) => void) | undefined;

  constructor(world: World, options: SimulatedAccountOptions = {}) {
    this.#world = structuredClone(world);
    this.#latencyMs = options.latencyMs ?? 0;
    this.#clock = options.clock;
    this.#faultsLeft = this.#world.simulation.faults.map((f) => f.times);
    this.trace = options.trace;
  }

  /** The caller of a CLI scan: `simulation.callerPolicy`, else anyone (undefined). */
  cliCaller(): Caller | undefined {
    const policy = this.#world.simulation.callerPolicy;
    if (!policy) return undefined;
    return {
      label: 'cli',
      principalArn: `arn:${partitionOf(this.region)}:iam::${this.accountId}:user/ssm-doctor-cli`,
      policies: [decodePolicyDocument(policy)],
    };
  }

  /** The assumed-role ARN AWS names in a denial for a role session. */
  assumedRoleArn(roleName: string, session: string): string {
    return `arn:${partitionOf(this.region)}:sts::${this.accountId}:assumed-role/${roleName}/${session}`;
  }

  get accountId(): string {
    return this.#world.accountId;
  }

  get region(): string {
    return this.#world.region;
  }

  /** `{ region, credentials }` for a client that talks to this account. */
  clientConfig(): { region: string; credentials: typeof SIMULATED_CREDENTIALS } {
    return { region: this.#world.region, credentials: { ...SIMULATED_CREDENTIALS } };
  }

  now(): Date {
    if (this.#clock) return this.#clock();
    return this.#world.now ? new Date(this.#world.now) : new Date();
  }

  /**
   * Serves every command of `client` from this account (replacing a previous account's
   * middleware). With a `caller`, each call is first authorized against the caller's policies and
   * traced; without one the client may do anything.
   */
  attach<C extends AnyClient>(client: C, caller?: Caller): C {
    // biome-ignore lint/suspicious/noExplicitAny: see AnyClient.
    const middleware: FinalizeRequestMiddleware<any, any> = (_next, context) => async (args) => {
      // A streamed body is read off the request, as the wire carries it (request-body.ts).
      const body = await streamedBodyOf(args.request);
      const input = (body ? { ...(args.input as object), Body: body } : args.input) as object;
      return {
        output: await this.serve(caller, context.clientName, context.commandName, input),
        response: {},
      };
    };
    client.middlewareStack.add(middleware, {
      step: 'finalizeRequest',
      priority: 'low',
      name: MIDDLEWARE_NAME,
      tags: ['SIMULATED_ACCOUNT'],
      override: true,
    });
    return client;
  }

  /**
   * One call of an SDK command, as an attached client's middleware makes it: authorized for the
   * caller (when there is one), then answered from the world. The benchmark's stage processes
   * reach the account through this too (test/support/bench/isolated-stages.ts).
   */
  async serve(
    caller: Caller | undefined,
    clientName: string | undefined,
    commandName: string | undefined,
    input: object,
  ): Promise<object> {
    const action = actionOf(clientName, commandName);
    if (caller) this.#authorize(caller, action, input);
    const fault = this.#callFault?.({ caller: caller?.label, action, input });
    if (fault) throw fault;
    return this.#answer(clientName, commandName, input);
  }

  /**
   * A client this account does not serve (DynamoDB: dynalite on loopback) still runs under the
   * caller's role: each call is authorized and traced here, then sent on.
   */
  guard<C extends AnyClient>(client: C, caller: Caller): C {
    // biome-ignore lint/suspicious/noExplicitAny: see AnyClient.
    const middleware: FinalizeRequestMiddleware<any, any> = (next, context) => async (args) => {
      this.authorizeTable(caller, context.commandName, args.input as Record<string, unknown>);
      return next(args);
    };
    client.middlewareStack.add(middleware, {
      step: 'finalizeRequest',
      priority: 'low',
      name: `${MIDDLEWARE_NAME}Guard`,
      override: true,
    });
    return client;
  }

  /** Authorizes (and traces) one DynamoDB command of `caller`; throws the denial AWS would send. */
  authorizeTable(caller: Caller, commandName: string | undefined, input: Record<string, unknown>): void {
    const operation = (commandName ?? 'Unknown').replace(/Command$/, '');
    const requests = dynamoRequests(operation, input, { ...this.#scope(caller) });
    this.#decide(
      caller,
      'dynamodb',
      requests.length ? requests : [{ action: `dynamodb:${operation}`, resource: '*', context: {} }],
    );
  }

  #scope(caller: Caller) {
    return {
      world: this.#world,
      accountId: this.accountId,
      region: this.region,
      partition: partitionOf(this.region),
      principalArn: caller.principalArn,
    };
  }

  #authorize(caller: Caller, action: string, input: object): void {
    // AWS answers GetCallerIdentity for any principal, even under an explicit deny.
    if (action === 'sts:GetCallerIdentity') return;
    const service = action.slice(0, action.indexOf(':'));
    this.#decide(
      caller,
      service,
      authorizationRequests(action, input as Record<string, unknown>, this.#scope(caller)),
    );
  }

  /** Traces the call (its first resource) and throws the service's denial if a request is refused. */
  #decide(caller: Caller, service: string, requests: ReturnType<typeof authorizationRequests>): void {
    const result = authorize(caller, requests);
    const first = requests[0];
    this.trace?.({
      state: caller.label,
      action: first?.action ?? 'unknown',
      resource: first?.resource ?? '*',
      allowed: result.allowed,
      requests,
    });
    if (result.denied) {
      const message = serviceMessage(service, denialMessage(caller, result.denied));
      throw awsError(service as ServicePrefix, denialCode(service), message, 403);
    }
  }

  /** Attempts per IAM-style action (`ec2:DescribeInstances`), retried attempts included. */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  totalCalls(): number {
    let total = 0;
    for (const n of this.#counts.values()) total += n;
    return total;
  }

  resetCounts(): void {
    this.#counts.clear();
  }

  /**
   * An execution that runs against this account (the local harness registers each one as it
   * starts it), so DescribeExecution answers for it: `RUNNING` until `endExecution`.
   */
  registerExecution(execution: { executionArn: string; stateMachineArn: string; name: string }): void {
    this.#executions.set(execution.executionArn, {
      ...execution,
      status: 'RUNNING',
      startDate: this.now().toISOString(),
    });
  }

  /** How a registered execution ended (DescribeExecution reports it from now on). */
  endExecution(executionArn: string, status: Exclude<ExecutionStatus, 'RUNNING'>): void {
    const execution = this.#executions.get(executionArn);
    if (execution)
      this.#executions.set(executionArn, { ...execution, status, stopDate: this.now().toISOString() });
  }

  /** A deep copy of the world as it is now, writes included (what `--save-world` saves). */
  snapshot(): World {
    return structuredClone(this.#world);
  }

  async #answer(
    clientName: string | undefined,
    commandName: string | undefined,
    input: object,
  ): Promise<object> {
    const action = actionOf(clientName, commandName);
    this.#counts.set(action, (this.#counts.get(action) ?? 0) + 1);
    const requestId = newRequestId();
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    const service = serviceForClient(clientName);
    const operation = action.slice(action.indexOf(':') + 1);
    try {
      if (!service) throw notImplemented(action);
      this.#injectFault(service.prefix, action, operation);
      const handler = HANDLERS[service.prefix][operation];
      if (!handler) throw notImplemented(action);
      const raw = handler(input as never, this.#context(action, requestId));
      const project = outputProjector(service.prefix, operation);
      const output = (project ? project(raw) : raw) as object;
      return { ...output, $metadata: { httpStatusCode: 200, requestId } };
    } catch (error) {
      if (isAwsError(error)) error.$metadata.requestId = requestId;
      throw error;
    }
  }

  /** `simulation.faults`: the first entry matching the call throws its code (and counts down). */
  #injectFault(service: ServicePrefix, action: string, operation: string): void {
    const faults = this.#world.simulation.faults;
    for (const [index, fault] of faults.entries()) {
      const left = this.#faultsLeft[index];
      if (left === 0) continue;
      if (!actionMatches(fault.operation, fault.operation.includes(':') ? action : operation)) continue;
      if (left !== undefined) this.#faultsLeft[index] = left - 1;
      throw awsError(
        service,
        fault.code,
        fault.message ?? `Simulated ${fault.code} for ${action} (simulation.faults)`,
      );
    }
  }

  #context(action: string, requestId: string): SimContext {
    const world = this.#world;
    return {
      world,
      accountId: world.accountId,
      region: world.region,
      partition: partitionOf(world.region),
      action,
      requestId,
      executions: this.#executions,
      now: () => this.now(),
      recordChange: (target, before, after) => {
        this.changes.push({
          at: this.now().toISOString(),
          action,
          target,
          before: copy(before),
          after: copy(after),
          requestId,
        });
      },
      publish: (message) => {
        this.published.push({ ...message });
      },
      store: (object) => {
        const same = this.objects.findIndex((o) => o.Bucket === object.Bucket && o.Key === object.Key);
        if (same >= 0) this.objects.splice(same, 1);
        this.objects.push({ ...object });
      },
      stored: (bucket, key) => this.objects.find((o) => o.Bucket === bucket && o.Key === key),
      emit: (event) => this.events.push({ ...event }),
      fixApplied: (instanceIds) => {
        bringOnline(world, instanceIds, this.now());
      },
    };
  }
}
