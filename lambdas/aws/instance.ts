/**
 * Per-instance facts read in bulk: status checks and AMIs for the whole batch in a few calls,
 * console output only for the instances whose outside checks explain nothing (it is one call per
 * instance), and IMDSv1 usage only where the IMDSv2 fix could run (500 metrics per call).
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  type EC2Client,
  GetConsoleOutputCommand,
  type Image,
  type InstanceStatus,
  paginateDescribeImages,
  paginateDescribeInstanceStatus,
} from '@aws-sdk/client-ec2';
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED, errorCode } from './errors.ts';
import { chunk, drain, mapBounded } from './paging.ts';

/**
 * Status checks of the given instances. Rather than 100 ids per call (which fails whole when one
 * instance vanished mid-run), ask for the instances whose checks are anything but ok: two filtered
 * reads for the whole fleet, usually one page each. Absent = ok/ok, as the console shows it.
 */
export async function readStatuses(
  ec2: EC2Client,
  instanceIds: readonly string[],
): Promise<Map<string, Readout<InstanceStatus | undefined>>> {
  const notOk = ['impaired', 'initializing', 'insufficient-data'];
  const read = await attempt(
    'DescribeInstanceStatus',
    async () => {
      const [instance, system] = await Promise.all(
        ['instance-status.status', 'system-status.status'].map((Name) =>
          drain(
            paginateDescribeInstanceStatus(
              { client: ec2, pageSize: 1000 },
              { Filters: [{ Name, Values: notOk }] },
            ),
            (page) => page.InstanceStatuses,
          ),
        ),
      );
      return new Map([...(instance ?? []), ...(system ?? [])].map((status) => [status.InstanceId, status]));
    },
    DENIED_OR_THROTTLED,
  );
  return new Map(
    instanceIds.map((id) => [id, read.ok ? readOk(read.value.get(id)) : readFailed(read.problem)]),
  );
}

/** An AMI absent from the answer is not visible to this account (deregistered, or private elsewhere). */
export async function readImages(
  ec2: EC2Client,
  imageIds: readonly string[],
): Promise<Map<string, Readout<Image | undefined>>> {
  const result = new Map<string, Readout<Image | undefined>>();
  await Promise.all(
    chunk([...new Set(imageIds)]).map(async (ids) => {
      const read = await attempt(
        'DescribeImages',
        () =>
          drain(
            paginateDescribeImages(
              { client: ec2, pageSize: 1000 },
              { Filters: [{ Name: 'image-id', Values: ids }], IncludeDeprecated: true },
            ),
            (p) => p.Images,
          ),
        // By filter: an AMI that is gone is absent from the answer, not an error.
        DENIED_OR_THROTTLED,
      );
      const byId = new Map(read.ok ? read.value.map((image) => [image.ImageId, image]) : []);
      for (const id of ids) result.set(id, read.ok ? readOk(byId.get(id)) : readFailed(read.problem));
    }),
  );
  return result;
}

/**
 * Instance families on the Xen hypervisor: `GetConsoleOutput` there serves only the buffer saved
 * at the last boot (no `Latest`). Every other current family is built on Nitro.
 */
const XEN_FAMILIES = new Set(
  'a1 c1 c3 c4 cc2 cr1 d2 f1 g2 g3 g3s h1 hs1 i2 i3 m1 m2 m3 m4 p2 p3 r3 r4 t1 t2 x1 x1e'.split(' '),
);
export const supportsLatestConsole = (instanceType: string | undefined): boolean =>
  !XEN_FAMILIES.has((instanceType ?? '').split('.')[0] ?? '');

export interface ConsoleRead {
  /** Decoded console text; `undefined` when the instance has none yet. */
  text: Readout<string | undefined>;
  /** Whether the output is the latest (Nitro `Latest: true`) or the buffer of the last boot. */
  latest: boolean;
  /** When EC2 says the output was last updated. */
  timestamp?: string;
}

/**
 * Console reads in flight per batch: EC2's bucket for non-mutating calls is shared by the whole
 * account (a burst of 100, ~20 a second); with 4 batches at once this keeps ~40 in flight.
 */
const CONSOLE_READS_IN_FLIGHT = 10;

/**
 * One call per instance: the latest output where the instance type supports it, else the buffer
 * of the last boot (also when EC2 refuses `Latest` for a type this list does not know).
 */
export async function readConsoleOutputs(
  ec2: EC2Client,
  instanceIds: readonly string[],
  instanceTypeOf: (id: string) => string | undefined = () => undefined,
): Promise<Map<string, ConsoleRead>> {
  const read = (InstanceId: string, Latest: boolean) =>
    attempt(
      'GetConsoleOutput',
      () => ec2.send(new GetConsoleOutputCommand({ InstanceId, ...(Latest ? { Latest } : {}) })),
      // The instance may be gone since the batch read it; `Unsupported…` is handled below.
      [...DENIED_OR_THROTTLED, 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed'],
    );
  const entries = await mapBounded(instanceIds, CONSOLE_READS_IN_FLIGHT, async (InstanceId) => {
    let latest = supportsLatestConsole(instanceTypeOf(InstanceId));
    let answer: Awaited<ReturnType<typeof read>> | undefined;
    try {
      answer = await read(InstanceId, latest);
    } catch (error) {
      // `Latest` refused for a type not known here as Xen: ask for the boot buffer instead.
      if (!latest || !/^Unsupported/.test(errorCode(error))) throw error;
    }
    if (!answer) {
      latest = false;
      answer = await read(InstanceId, false);
    }
    const text: Readout<string | undefined> = answer.ok
      ? readOk(answer.value.Output ? Buffer.from(answer.value.Output, 'base64').toString('utf8') : undefined)
      : answer;
    const timestamp =
      answer.ok && answer.value.Timestamp ? new Date(answer.value.Timestamp).toISOString() : undefined;
    return [InstanceId, { text, latest, ...(timestamp ? { timestamp } : {}) }] as const;
  });
  return new Map(entries);
}

/** CloudWatch takes at most 500 queries per GetMetricData call. */
const QUERIES_PER_CALL = 500;

/**
 * Sum of `MetadataNoToken` per instance over the look-back window. No datapoints at all is not
 * proof of zero: it reads as a problem, so the IMDSv2 guard holds back.
 */
export async function readMetadataNoToken(
  cloudwatch: CloudWatchClient,
  instanceIds: readonly string[],
  now: Date,
  lookbackDays: number,
): Promise<Map<string, Readout<number>>> {
  const result = new Map<string, Readout<number>>();
  const start = new Date(now.getTime() - lookbackDays * 86_400_000);
  await Promise.all(
    chunk(instanceIds, QUERIES_PER_CALL).map(async (ids) => {
      const queries: MetricDataQuery[] = ids.map((id, i) => ({
        Id: `q${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/EC2',
            MetricName: 'MetadataNoToken',
            Dimensions: [{ Name: 'InstanceId', Value: id }],
          },
          Period: 86_400,
          Stat: 'Sum',
        },
        ReturnData: true,
      }));
      const read = await attempt(
        'GetMetricData',
        () => readAllMetricData(cloudwatch, queries, start, now),
        DENIED_OR_THROTTLED,
      );
      ids.forEach((id, i) => {
        const values = read.ok ? read.value.get(`q${i}`) : undefined;
        result.set(
          id,
          !read.ok
            ? read
            : values?.length
              ? readOk(values.reduce((sum, v) => sum + v, 0))
              : readFailed({
                  operation: 'GetMetricData',
                  code: 'NoDatapoints',
                  message: `no MetadataNoToken datapoints for ${id} in ${lookbackDays} days`,
                }),
        );
      });
    }),
  );
  return result;
}

async function readAllMetricData(
  cloudwatch: CloudWatchClient,
  queries: MetricDataQuery[],
  start: Date,
  end: Date,
) {
  const values = new Map<string, number[]>();
  let NextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken }),
    );
    for (const series of page.MetricDataResults ?? []) {
      if (!series.Id) continue;
      values.set(series.Id, [...(values.get(series.Id) ?? []), ...(series.Values ?? [])]);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return values;
}
