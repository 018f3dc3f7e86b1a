/**
 * The simulated CloudWatch API: GetMetricData. The only metric a world holds is EC2's
 * `MetadataNoToken` (IMDSv1 calls) per instance, as one sum over the look-back window:
 * a `Sum` query for it (namespace AWS/EC2, dimension InstanceId) answers one datapoint carrying
 * that sum, whatever the period, so the sum of the returned values is the world's number. Any
 * other query, or an instance the world has no number for, has no datapoints (empty Values), as
 * CloudWatch answers for a metric that was never published.
 */
import type { GetMetricDataInput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';

const MAX_QUERIES = 500;

function metadataNoToken(ctx: SimContext, query: MetricDataQuery): number | undefined {
  const stat = query.MetricStat;
  const metric = stat?.Metric;
  if (metric?.Namespace !== 'AWS/EC2' || metric.MetricName !== 'MetadataNoToken' || stat?.Stat !== 'Sum')
    return undefined;
  const dimensions = metric.Dimensions ?? [];
  if (dimensions.length !== 1 || dimensions[0].Name !== 'InstanceId') return undefined;
  return ctx.world.cloudwatch.MetadataNoToken[dimensions[0].Value ?? ''];
}

function validate(input: GetMetricDataInput): void {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length < 1 || queries.length > MAX_QUERIES) {
    throw awsError(
      'cloudwatch',
      'ValidationError',
      `The collection MetricDataQueries must contain between 1 and ${MAX_QUERIES} items (got ${queries.length}).`,
    );
  }
  const seen = new Set<string>();
  for (const [index, query] of queries.entries()) {
    const id = query.Id ?? '';
    // CloudWatch ids start with a lowercase letter and hold only letters, digits and underscores.
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || seen.has(id)) {
      throw awsError(
        'cloudwatch',
        'ValidationError',
        `The value ${id} for parameter MetricDataQueries.member.${index + 1}.Id is invalid${seen.has(id) ? ' (duplicate)' : ''}.`,
      );
    }
    seen.add(id);
  }
  if (!input.StartTime || !input.EndTime || input.StartTime.getTime() >= input.EndTime.getTime()) {
    throw awsError(
      'cloudwatch',
      'InvalidParameterValue',
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  if (input.NextToken !== undefined)
    throw awsError('cloudwatch', 'InvalidNextToken', 'The service returned an invalid NextToken.');
}

function getMetricData(input: GetMetricDataInput, ctx: SimContext) {
  validate(input);
  const start = (input.StartTime as Date).toISOString();
  const results = (input.MetricDataQueries ?? [])
    .filter((q) => q.ReturnData !== false)
    .map((q) => {
      const value = metadataNoToken(ctx, q);
      return {
        Id: q.Id,
        Label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
        Timestamps: value === undefined ? [] : [start],
        Values: value === undefined ? [] : [value],
        StatusCode: 'Complete',
      };
    });
  return { MetricDataResults: results, Messages: [] };
}

export const cloudwatchHandlers: Handlers = { GetMetricData: getMetricData };
