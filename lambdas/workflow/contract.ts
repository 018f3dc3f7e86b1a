/**
 * What each workflow task receives and returns. The Step Functions definition (lib/constructs/
 * workflow.ts) passes exactly these shapes: references only (run id, batch numbers, counters);
 * batches and findings travel as S3 work objects (work-objects.ts), the run's META in the table.
 */

export interface StartRunInput {
  /** The execution name: unique per run, and the same when Step Functions retries the task. */
  runId?: string;
  /** Who started the run: `schedule` from EventBridge Scheduler, anything else for manual runs. */
  trigger?: string;
}
export interface StartRunOutput {
  runId: string;
  /** True when another run holds the lock: the workflow ends at `Skipped: locked`. */
  locked: boolean;
  /** Indexes of the candidate batches written as work objects (the Map iterates over these). */
  batches: number[];
  candidates: number;
  /** `verify-wait-minutes` × 60 for this run; 0 skips the wait and the verify step. */
  verifyWaitSeconds: number;
}

export interface DiagnoseBatchInput {
  runId: string;
  batchIndex: number;
}
export interface DiagnoseBatchOutput {
  batchIndex: number;
  findings: number;
}

/** Input of the stages after discovery: the run is all they need; the rest is in the table and the work objects. */
export interface RunRef {
  runId: string;
}
export interface RemediateInput extends RunRef {
  /**
   * The execution running this stage (`$$.Execution.Id`): each write first checks it is RUNNING on
   * this stack's state machine and named after the run. Absent (a direct invocation): nothing is changed.
   */
  executionArn?: string;
}
export type VerifyInput = RunRef;
export type ReportInput = RunRef;

export interface RemediateOutput {
  planned: number;
  applied: number;
  failed: number;
}

export interface VerifyOutput {
  verified: number;
  waiting: number;
}

export interface ReportOutput {
  findings: number;
  notified: boolean;
}

export interface NotifyFailureInput {
  /** Absent when `Start run` itself failed. */
  runId?: string;
  /** The Step Functions error caught by the failing state (`States.ALL` into `$.error`). */
  error?: { Error?: string; Cause?: string };
}
export interface NotifyFailureOutput {
  notified: boolean;
}
