/**
 * The run as a Step Functions Standard workflow (JSONPath). States carry references only (run id,
 * batch numbers, counters); batches and findings travel as S3 work objects and the table holds
 * the run's small items (lambdas/workflow/work-objects.ts, store.ts). Every task retries Lambda
 * service errors with jittered back-off and catches everything else into `Notify failure`, which
 * ends in `Run failed`: no path ends silently.
 */
import { ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { STAGES, type StageName } from '../../lambdas/workflow/manifest.ts';
import { logRetention } from '../health-parameters.ts';
import type { DoctorFunction } from './doctor-function.ts';

/** Transient Lambda service errors; anything the handler throws is not retried (the run fails loudly). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Longest verify wait (120 min, SETTING_SPECS) plus an hour of work for a large region. */
export const EXECUTION_TIMEOUT = Duration.hours(3);
/** The error name a stage fails with when AWS itself is unwell (`AwsOutage` in lambdas/aws/errors.ts). */
export const AWS_OUTAGE_ERROR = 'AwsOutage';
export const DIAGNOSE_CONCURRENCY = 4;

/**
 * The state machine's name is fixed (one per stack), so its ARN is known before it exists: the
 * remediate function's `STATE_MACHINE_ARN` and the role's trust name it without a reference to
 * the state machine (which references the functions: that would be a cycle).
 */
export const stateMachineName = (stack: Stack) => `${stack.stackName}-workflow`;

export function stateMachineArn(stack: Stack): string {
  return stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(stack),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Every execution of this stack's state machine (`…:execution:<name>:*`). */
export function executionsArn(stack: Stack): string {
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName(stack)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface WorkflowProps {
  functions: Record<StageName, DoctorFunction>;
}

export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const fn = props.functions;
    const runIdOnly = sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') });
    // Each Task state is named as its stage's manifest says (the local harness finds stages by it).
    const task = (stage: StageName, options: Partial<tasks.LambdaInvokeProps> = {}) =>
      new tasks.LambdaInvoke(this, STAGES[stage].state, {
        lambdaFunction: fn[stage].function,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        // The function's own timeout and a little: without it a Task waits ~3 years by default
        // (and locally aws-local-stepfunctions gives up after 60 s, whatever the function may take).
        taskTimeout: sfn.Timeout.duration(
          (fn[stage].function.timeout ?? Duration.seconds(3)).plus(Duration.seconds(30)),
        ),
        ...options,
      })
        .addRetry({
          errors: LAMBDA_SERVICE_ERRORS,
          interval: Duration.seconds(2),
          backoffRate: 2,
          maxAttempts: 4,
          jitterStrategy: sfn.JitterType.FULL,
        })
        // An AWS service outage met by the stage (lambdas/aws/errors.ts): try again a little later,
        // then fail the run loudly rather than report the outage as findings.
        .addRetry({
          errors: [AWS_OUTAGE_ERROR],
          interval: Duration.seconds(30),
          backoffRate: 2,
          maxAttempts: 3,
          jitterStrategy: sfn.JitterType.FULL,
        });

    const runFailed = new sfn.Fail(this, 'Run failed', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    // Its own failure still ends the run as failed, which the failed-executions alarm reports.
    // Its result goes beside the caught error, which `Run failed` reports as the run's own.
    const notifyFailure = task('notify-failure', {
      // The execution name is the run id, so even a Start run that died holding the lock has it released.
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.stringAt('$$.Execution.Name'),
        error: sfn.JsonPath.objectAt('$.error'),
      }),
      resultPath: '$.notification',
    }).addCatch(runFailed, {
      errors: [sfn.Errors.ALL],
      resultPath: '$.notifyError',
    });
    notifyFailure.next(runFailed);
    const onError = <T extends sfn.TaskStateBase | sfn.Map>(state: T): T =>
      state.addCatch(notifyFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' }) as T;

    // A retried Start run presents the same run id and finds its own lock, instead of being skipped.
    const startRun = onError(
      task('start-run', {
        payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$$.Execution.Name') }),
      }),
    );
    // One batch failing after its retries is caught inside the Map: the run goes on with the
    // others, and the report lists that batch's instances as not diagnosed this run, with the
    // error its last attempt recorded (a run where every batch failed fails in Report).
    const diagnoseOne = task('diagnose-batch').addCatch(
      new sfn.Pass(this, 'Batch not diagnosed', {
        comment: 'Report lists this batch as not diagnosed this run (its error is in the table, FAILED#<n>).',
      }),
      { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD },
    );
    const diagnose = onError(
      new sfn.Map(this, 'Diagnose batches', {
        itemsPath: '$.batches',
        itemSelector: {
          runId: sfn.JsonPath.stringAt('$.runId'),
          batchIndex: sfn.JsonPath.numberAt('$$.Map.Item.Value'),
        },
        maxConcurrency: DIAGNOSE_CONCURRENCY,
        resultPath: sfn.JsonPath.DISCARD,
      }).itemProcessor(diagnoseOne),
    );
    // The execution goes with the run id: the stage writes only while this execution is RUNNING.
    const remediate = onError(
      task('remediate', {
        payload: sfn.TaskInput.fromObject({
          runId: sfn.JsonPath.stringAt('$.runId'),
          executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
        }),
        resultPath: '$.remediation',
      }),
    );
    const verify = onError(task('verify', { payload: runIdOnly, resultPath: '$.verification' }));
    const report = onError(task('report', { payload: runIdOnly, resultPath: '$.report' }));
    const waitForAgents = new sfn.Wait(this, 'Wait for agents', {
      time: sfn.WaitTime.secondsPath('$.verifyWaitSeconds'),
    });

    report.next(new sfn.Succeed(this, 'Done'));
    const fixesApplied = new sfn.Choice(this, 'Fixes applied?')
      .when(
        sfn.Condition.and(
          sfn.Condition.numberGreaterThan('$.remediation.applied', 0),
          sfn.Condition.numberGreaterThan('$.verifyWaitSeconds', 0),
        ),
        waitForAgents.next(verify).next(report),
      )
      .otherwise(report);
    const definition = startRun.next(
      new sfn.Choice(this, 'Another run in progress?')
        .when(sfn.Condition.booleanEquals('$.locked', true), new sfn.Succeed(this, 'Skipped: locked'))
        .otherwise(diagnose.next(remediate).next(fixesApplied)),
    );

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps the account's CloudWatch Logs resource policy small.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-workflow`,
      retention: logRetention(this),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    // Step Functions may assume this role only for this state machine of this account (confused deputy).
    const role = new iam.Role(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({
        ArnEquals: { 'aws:SourceArn': stateMachineArn(stack) },
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineName(stack),
      role,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: EXECUTION_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      comment: 'ssm-doctor run: discover, diagnose, fix, verify, report',
    });
    this.acknowledgeFindings(Object.values(fn));
  }

  private acknowledgeFindings(functions: DoctorFunction[]): void {
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logs at ERROR without execution data on purpose: states hold instance ids, and every run keeps its full history in Step Functions for 90 days.',
    });
    const policy = this.stateMachine.role.node.findChild('DefaultPolicy') as iam.Policy;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, DescribeResourcePolicies) support no resource-level permissions.',
    });
    const stack = Stack.of(this);
    for (const f of functions) {
      const logicalId = stack.getLogicalId(f.function.node.defaultChild as CfnElement);
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `Invokes ${f.node.id} by any version or alias of that one function (the LambdaInvoke grant); no other function.`,
      });
    }
  }
}
