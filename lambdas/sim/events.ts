/**
 * The simulated EventBridge API: PutEvents on the default bus (or a bus ARN/name of this
 * account). EventBridge's own limits apply — at most 10 entries and 256 KB per call, each entry
 * with a source, a detail-type and a JSON-object detail — so a batch the real API would refuse
 * fails here too. Accepted events are kept in the account's `events` (nothing is delivered).
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequest, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Handlers, SimContext } from './context.ts';
import { awsError } from './errors.ts';

export interface PutEvent {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: unknown;
  Resources: string[];
  Time?: string;
}

const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

/** How EventBridge sizes an entry: its strings in UTF-8, 14 bytes for a time. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s) : 0);
  return (
    (entry.Time ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((n, r) => n + bytes(r), 0) +
    bytes(entry.EventBusName)
  );
}

const validation = (message: string) => awsError('events', 'ValidationException', message);

function putEvents(input: PutEventsRequest, ctx: SimContext) {
  const entries = input.Entries ?? [];
  if (entries.length < 1 || entries.length > MAX_ENTRIES)
    throw validation(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  const total = entries.reduce((n, e) => n + entrySize(e), 0);
  if (total > MAX_BYTES) throw validation('Total size of the entries in the request is over the limit.');
  const results = entries.map((entry) => {
    const bus = entry.EventBusName ?? 'default';
    const ownBus =
      bus === 'default' ||
      bus === `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:event-bus/default`;
    if (!ownBus)
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    if (!entry.Source || !entry.DetailType || !entry.Detail)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameters Source, DetailType and Detail are required.',
      };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    ctx.emit({
      EventBusName: 'default',
      Source: entry.Source,
      DetailType: entry.DetailType,
      Detail: detail,
      Resources: [...(entry.Resources ?? [])],
      ...(entry.Time ? { Time: new Date(entry.Time).toISOString() } : {}),
    });
    return { EventId: randomUUID() };
  });
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}

export const eventsHandlers: Handlers = { PutEvents: putEvents };
