/**
 * The stack parameters of the health and retention constructs, made where they are first needed
 * (once per stack), so the function, workflow and monitoring constructs share one of each.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The retention values CloudWatch Logs accepts, up to ten years. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function parameter(scope: Construct, id: string, make: (stack: Stack) => CfnParameter): CfnParameter {
  const stack = Stack.of(scope);
  return (stack.node.tryFindChild(id) as CfnParameter | undefined) ?? make(stack);
}

/** Days every log group keeps its logs: a year by default, where the per-change log lines are. */
export function logRetention(scope: Construct): logs.RetentionDays {
  return parameter(
    scope,
    'LogRetentionDays',
    (stack) =>
      new CfnParameter(stack, 'LogRetentionDays', {
        type: 'Number',
        default: 365,
        allowedValues: RETENTION_DAYS.map(String),
        description:
          'Days the function and workflow logs are kept (one line per change is among them). The log groups are retained when the stack is deleted.',
      }),
  ).valueAsNumber as logs.RetentionDays;
}

/** Hours without a completed run before the dead-man alarm fires: two schedule periods. */
export function runCompletedAlarmHours(scope: Construct): number {
  return parameter(
    scope,
    'RunCompletedAlarmHours',
    (stack) =>
      new CfnParameter(stack, 'RunCompletedAlarmHours', {
        type: 'Number',
        default: 2,
        minValue: 1,
        maxValue: 168,
        description:
          'Alarm when no run has completed for this many hours: two schedule periods (2 for the default hourly schedule, 48 for a daily one).',
      }),
  ).valueAsNumber;
}
