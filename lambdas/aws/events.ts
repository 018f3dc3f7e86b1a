/**
 * PutEvents within the API's limits: at most 10 entries and 256 KB per call. Entries EventBridge
 * reports as failed (`FailedEntryCount`, usually throttling or an internal error) are sent again,
 * twice at most; what still fails is returned so the caller can log it. A call that throws
 * (denied, outage) propagates: the stage fails and Step Functions retries it.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';

const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;
const ATTEMPTS = 3;

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

/** Consecutive batches of ≤ 10 entries and ≤ 256 KB. An entry bigger than that alone is dropped (returned). */
export function batchesOf(entries: readonly PutEventsRequestEntry[]): {
  batches: PutEventsRequestEntry[][];
  tooBig: PutEventsRequestEntry[];
} {
  const batches: PutEventsRequestEntry[][] = [];
  const tooBig: PutEventsRequestEntry[] = [];
  let batch: PutEventsRequestEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const cost = entrySize(entry);
    if (cost > MAX_BYTES) {
      tooBig.push(entry);
      continue;
    }
    if (batch.length === MAX_ENTRIES || size + cost > MAX_BYTES) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(entry);
    size += cost;
  }
  if (batch.length) batches.push(batch);
  return { batches, tooBig };
}

export interface PutResult {
  sent: number;
  failed: { entry: PutEventsRequestEntry; errorCode?: string }[];
}

export async function putEvents(
  client: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
): Promise<PutResult> {
  const { batches, tooBig } = batchesOf(entries);
  const failed: PutResult['failed'] = tooBig.map((entry) => ({ entry, errorCode: 'EntryTooLarge' }));
  let sent = 0;
  for (const first of batches) {
    let pending = first;
    for (let attempt = 1; pending.length && attempt <= ATTEMPTS; attempt++) {
      const out = await client.send(new PutEventsCommand({ Entries: pending }));
      const results = out.Entries ?? [];
      const again = pending.filter((_, i) => results[i]?.ErrorCode);
      sent += pending.length - again.length;
      if (attempt === ATTEMPTS)
        failed.push(
          ...again.map((entry) => ({ entry, errorCode: results[pending.indexOf(entry)]?.ErrorCode })),
        );
      pending = out.FailedEntryCount ? again : [];
    }
  }
  return { sent, failed };
}
