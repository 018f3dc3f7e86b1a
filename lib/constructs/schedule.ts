/**
 * Starts a run on the Schedule parameter's expression (UTC) through EventBridge Scheduler. Its role
 * may only start this one state machine. A run that cannot start within half an hour, or after its
 * retries, lands in a dead-letter queue (which Monitoring alarms on): never dropped unseen.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface RunScheduleProps {
  expression: string;
  stateMachine: sfn.IStateMachine;
}

export class RunSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;
  /** Start requests Scheduler could not deliver (the workflow refused them, or they aged out). */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RunScheduleProps) {
    super(scope, id);
    // Own role (not the shared one the target would create at stack level), trusted only by
    // Scheduler acting for this account; the target adds states:StartExecution on this machine.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start the ssm-doctor workflow',
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the schedule target; an alarm watches it (Monitoring).',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(props.expression),
      description: 'Starts an ssm-doctor run',
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        maxEventAge: Duration.minutes(30),
        retryAttempts: 3,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}
