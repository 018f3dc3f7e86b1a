/**
 * What an operator looks at: an alarm on runs that failed, timed out or were aborted (to the topic:
 * those are the runs that could not send their own failure email), and a dashboard of the run
 * metrics the handlers emit with Powertools (namespace SsmDoctor, default dimension `service`).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './doctor-function.ts';

/** Names the handlers must emit (Powertools keeps `service` as a dimension on every metric). */
export const RUN_METRICS = {
  instances: ['InstancesChecked', 'NotRegistered', 'ConnectionLost'],
  fixes: ['FixesPlanned', 'FixesApplied', 'FixesFailed'],
  findings: 'Findings',
  findingsDimension: 'Cause',
} as const;

export interface MonitoringProps {
  stateMachine: sfn.StateMachine;
  topic: sns.ITopic;
}

export class Monitoring extends Construct {
  readonly failedRunsAlarm: cloudwatch.Alarm;
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
