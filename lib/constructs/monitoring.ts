/**
 * What an operator looks at: an alarm on runs that failed, timed out or were aborted (to the topic:
 * those are the runs that could not send their own failure email), a dead-man alarm when no run
 * completed for two schedule periods, an alarm on consecutive `Skipped: locked` runs, one on the
 * schedule's dead-letter queue, and a dashboard of the run metrics the handlers emit with
 * Powertools (namespace SsmDoctor, default dimension `service`). Completed and skipped runs are
 * counted from the stages' own log lines (metric filters), so no stage needs PutMetricData.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { runCompletedAlarmHours } from '../health-parameters.ts';
import { type DoctorFunction, METRICS_NAMESPACE, SERVICE_NAME } from './doctor-function.ts';

/** Names the handlers must emit (Powertools keeps `service` as a dimension on every metric). */
export const RUN_METRICS = {
  instances: ['InstancesChecked', 'NotRegistered', 'ConnectionLost'],
  fixes: ['FixesPlanned', 'FixesApplied', 'FixesFailed'],
  findings: 'Findings',
  findingsDimension: 'Cause',
} as const;

/** The log lines the health metrics count (stages/start-run.ts, stages/report.ts). */
export const HEALTH_LOG_LINES = {
  completed: { message: 'Run reported', metric: 'RunsCompleted' },
  skipped: { message: 'Another run holds the lock: skipping this one', metric: 'RunsSkippedLocked' },
} as const;
/** Consecutive hours with a run skipped on the lock before the alarm fires (a lock lives 4 h at most). */
export const SKIPPED_HOURS = 3;

export interface MonitoringProps {
  stateMachine: sfn.StateMachine;
  topic: sns.ITopic;
  /** Whose log lines say a run was skipped (`start-run`) and a run completed (`report`). */
  startRun: DoctorFunction;
  report: DoctorFunction;
  /** The schedule target's dead-letter queue. */
  scheduleDeadLetters: sqs.IQueue;
}

export class Monitoring extends Construct {
  readonly failedRunsAlarm: cloudwatch.Alarm;
  readonly noCompletedRunAlarm: cloudwatch.Alarm;
  readonly skippedRunsAlarm: cloudwatch.Alarm;
  readonly scheduleDeadLettersAlarm: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const sm = props.stateMachine;
    const period = Duration.minutes(5);
    const failedRuns = new cloudwatch.MathExpression({
      label: 'Failed, timed-out and aborted runs',
      expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
      usingMetrics: {
        failed: sm.metricFailed({ period }),
        timedOut: sm.metricTimedOut({ period }),
        aborted: sm.metricAborted({ period }),
      },
      period,
    });
    this.failedRunsAlarm = failedRuns.createAlarm(this, 'FailedRuns', {
      alarmDescription: 'An ssm-doctor run failed, timed out or was aborted. See the workflow executions.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failedRunsAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    const hour = Duration.hours(1);
    const countLines = (fn: DoctorFunction, line: { message: string; metric: string }) =>
      new logs.MetricFilter(this, `${line.metric}Filter`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', line.message),
        metricNamespace: METRICS_NAMESPACE,
        metricName: line.metric,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      }).metric({ statistic: cloudwatch.Stats.SUM, period: hour });

    // Dead man: no run reported for two schedule periods. Missing data is no run at all, so it breaches.
    const hours = runCompletedAlarmHours(this);
    this.noCompletedRunAlarm = countLines(props.report, HEALTH_LOG_LINES.completed).createAlarm(
      this,
      'NoCompletedRun',
      {
        alarmDescription:
          'No ssm-doctor run has completed (reached Report and notify) for RunCompletedAlarmHours: the schedule, the workflow or the lock is stuck, and nobody is being told.',
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
    const alarm = this.noCompletedRunAlarm.node.defaultChild as cloudwatch.CfnAlarm;
    alarm.evaluationPeriods = hours;
    alarm.datapointsToAlarm = hours;
    this.noCompletedRunAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    this.skippedRunsAlarm = countLines(props.startRun, HEALTH_LOG_LINES.skipped).createAlarm(
      this,
      'SkippedRuns',
      {
        alarmDescription: `ssm-doctor runs were skipped because another run held the lock in each of the last ${SKIPPED_HOURS} hours: a run is taking too long or a lock is stuck.`,
        threshold: 1,
        evaluationPeriods: SKIPPED_HOURS,
        datapointsToAlarm: SKIPPED_HOURS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
    this.skippedRunsAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    this.scheduleDeadLettersAlarm = props.scheduleDeadLetters
      .metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'ScheduleDeadLetters', {
        alarmDescription:
          'EventBridge Scheduler could not start an ssm-doctor run: the request is in the schedule dead-letter queue (see its error attributes).',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.scheduleDeadLettersAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    const hourly = Duration.hours(1);
    const runMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: hourly,
      });
    const findingsByCause = new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${RUN_METRICS.findingsDimension},service} MetricName="${RUN_METRICS.findings}"', 'Sum', 3600)`,
      label: 'Findings by cause',
      period: hourly,
    });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Instances',
            left: RUN_METRICS.instances.map(runMetric),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Findings by cause',
            left: [findingsByCause],
            stacked: true,
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Fixes', left: RUN_METRICS.fixes.map(runMetric), width: 12 }),
          new cloudwatch.GraphWidget({
            title: 'Runs',
            left: [sm.metricSucceeded({ period: hourly }), failedRuns.with({ period: hourly })],
            width: 12,
          }),
        ],
      ],
    });
  }
}
