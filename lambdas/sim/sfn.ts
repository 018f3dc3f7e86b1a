/**
 * The simulated Step Functions API: DescribeExecution of the executions the account knows. A world
 * holds no executions; whoever runs a state machine against the account (the local harness,
 * test/support/local/run-locally.ts) registers each one as it starts and marks how it ended, so a
 * stage can ask whether its own execution is still running, as it would in AWS.
 */
import type { DescribeExecutionInput } from '@aws-sdk/client-sfn';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface SimExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** ISO 8601. */
  startDate: string;
  stopDate?: string;
}

/** `arn:partition:states:region:account:execution:machine:name` (Standard executions). */
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[\w-]{1,80}:[\w.-]{1,80}$/;

function describeExecution(input: DescribeExecutionInput, ctx: SimContext) {
  const arn = input.executionArn ?? '';
  if (!EXECUTION_ARN.test(arn)) throw awsError('states', 'InvalidArn', `Invalid Arn: '${arn}'`);
  const execution = ctx.executions.get(arn);
  if (!execution) throw awsError('states', 'ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return { ...execution };
}

export const sfnHandlers: Handlers = { DescribeExecution: describeExecution };
