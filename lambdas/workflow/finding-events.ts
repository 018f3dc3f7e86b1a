/**
 * EventBridge events for what changed: each change of a finding and each failed run is one event
 * on the default bus (`source: ssm-doctor`), so people route them to chat, tickets or OpsCenter
 * with the rules they already have. Pure: built from the report and the ledger diff.
 *
 * detail-types and their `detail` (every detail also has `version: 1`, `runId`, `accountId`,
 * `region`, and `reportUrl` when the run's full report was stored):
 * - `Finding opened`        instanceId, name, ssmStatus, rootCause, causes
 * - `Finding resolved`      instanceId, name, previousRootCause, backOnline (true | false | null)
 * - `Finding cause changed` instanceId, name, ssmStatus, previousRootCause, rootCause, causes
 * - `Fix applied`           instanceId, name, rootCause, fix: { id, target, status, outcome }
 * - `Fix failed`            instanceId, name, rootCause, fix: { id, target, errorCode, message }
 * - `Run failed`            error, cause
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Finding, Report } from '../engine/report-model.ts';
import { plainText } from '../engine/text.ts';
import type { RunChanges } from './ledger.ts';
import { fixOutcome } from './outcomes.ts';

export const EVENT_SOURCE = 'ssm-doctor';
export const DETAIL_TYPES = [
  'Finding opened',
  'Finding resolved',
  'Finding cause changed',
  'Fix applied',
  'Fix failed',
  'Run failed',
] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

export interface RunRef {
  runId: string;
  accountId: string;
  region: string;
  partition: string;
  reportUrl?: string;
  at: Date;
}

const instanceArn = (run: RunRef, id: string) =>
  `arn:${run.partition}:ec2:${run.region}:${run.accountId}:instance/${id}`;
/** A name is data: one line, capped (rules match on it, chat shows it). */
const nameOf = (name: string | null | undefined) => (name ? plainText(name, 256) : null);

function entry(
  run: RunRef,
  type: DetailType,
  detail: Record<string, unknown>,
  instanceId?: string,
): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: type,
    Time: run.at,
    Resources: instanceId ? [instanceArn(run, instanceId)] : [],
    Detail: JSON.stringify({
      version: 1,
      runId: run.runId,
      accountId: run.accountId,
      region: run.region,
      ...(run.reportUrl ? { reportUrl: run.reportUrl } : {}),
      ...detail,
    }),
  };
}

const about = (f: Finding) => ({ instanceId: f.instanceId, name: nameOf(f.name), rootCause: f.rootCause });

export function findingEvents(
  report: Report,
  changes: RunChanges,
  run: RunRef,
  backOnline?: ReadonlySet<string>,
): PutEventsRequestEntry[] {
  const events: PutEventsRequestEntry[] = [];
  for (const f of changes.newProblems)
    events.push(
      entry(run, 'Finding opened', { ...about(f), ssmStatus: f.ssmStatus, causes: f.causes }, f.instanceId),
    );
  for (const { finding: f, before } of changes.causeChanged)
    events.push(
      entry(
        run,
        'Finding cause changed',
        { ...about(f), ssmStatus: f.ssmStatus, previousRootCause: before, causes: f.causes },
        f.instanceId,
      ),
    );
  for (const e of changes.resolved)
    events.push(
      entry(
        run,
        'Finding resolved',
        {
          instanceId: e.instanceId,
          name: nameOf(e.name),
          previousRootCause: e.rootCause,
          backOnline: backOnline ? backOnline.has(e.instanceId) : null,
        },
        e.instanceId,
      ),
    );
  for (const f of report.findings) {
    for (const r of f.remediations) {
      if (r.status === 'applied' || r.status === 'verified')
        events.push(
          entry(
            run,
            'Fix applied',
            { ...about(f), fix: { id: r.id, target: r.target, status: r.status, outcome: fixOutcome(f) } },
            f.instanceId,
          ),
        );
      if (r.status === 'failed')
        events.push(
          entry(
            run,
            'Fix failed',
            {
              ...about(f),
              fix: {
                id: r.id,
                target: r.target,
                errorCode: r.record?.errorCode ?? null,
                message: r.record?.message ?? r.reason ?? null,
              },
            },
            f.instanceId,
          ),
        );
    }
  }
  return events;
}

export function runFailedEvent(
  run: RunRef,
  error: { Error?: string; Cause?: string } | undefined,
): PutEventsRequestEntry {
  return entry(run, 'Run failed', {
    error: plainText(error?.Error ?? 'unknown', 256),
    cause: plainText(error?.Cause ?? 'not given', 8192),
  });
}
