/**
 * Starts a run on the Schedule parameter's expression (UTC) through EventBridge Scheduler. Its role
 * may only start this one state machine. A run that cannot start within half an hour is dropped:
 * the next scheduled run does the same work.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface RunScheduleProps {
  expression: string;
  stateMachine: sfn.IStateMachine;
}

export class RunSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;

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
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(props.expression),
      description: 'Starts an ssm-doctor run',
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        maxEventAge: Duration.minutes(30),
        retryAttempts: 3,
      }),
    });
  }
}
