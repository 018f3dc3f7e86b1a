/**
 * The run's table. Step Functions carries references only; what grows with the fleet (batches,
 * findings, outcomes) is handed on as work objects in S3 (workflow/work-objects.ts). The table
 * keeps the small things a run must be sure of, and the memory between runs:
 *
 *   pk            sk               what
 *   LOCK          RUN              the run lock (conditional put, expires by itself)
 *   RUN#<id>      META             settings, identity, summary, errors of the run (a week)
 *   RUN#<id>      DONE#<nnnnn>     a batch diagnosed: its findings object is complete
 *   RUN#<id>      FAILED#<nnnnn>   the error of a batch's last failed attempt
 *   RUN#<id>      VERIFIED         Verify ran: its verification object is there
 *   RUN#<id>      REPORT           the final report's summary (what the email was built from)
 *   INSTANCE#<i>  LEDGER           first/last seen, cause, fixes tried, last notified
 *   LEDGER        LAST-RUN         the last run that reported (the circuit breaker compares with it)
 *   OPEN#<s>      <i-…>            the open-problem set: one item per instance with an open problem,
 *                                  spread over OPEN_SHARDS partitions so none holds the fleet
 *
 * Per candidate and run, the table is written only where something changed: a ledger entry when
 * its news changed (or to keep it from expiring), an open-problem item when a problem opens or
 * closes (README "Scale").
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '../aws/paging.ts';
import { LOCK_SECONDS } from './deps.ts';

const RUN_DATA_DAYS = 7;
/** How far in the future a lock's `acquiredAt` may be before it is taken for a bogus item. */
const LOCK_CLOCK_SKEW_SECONDS = 300;
const LEDGER_DAYS = 90;
/** Partitions of the open-problem set: enough that none takes a whole large fleet's writes. */
export const OPEN_SHARDS = 16;
/** Table writes at once from one stage: well inside on-demand capacity, and bounded memory. */
const WRITES_AT_ONCE = 25;
/** The single open-problem item of earlier versions: read once more, then removed. */
const LEGACY_OPEN = { pk: 'LEDGER', sk: 'OPEN' } as const;

/** The partition of the run lock: the only item `Notify failure` may touch. */
export const LOCK_PARTITION_KEY = 'LOCK';

export const runKey = (runId: string) => `RUN#${runId}`;
export const batchDoneKey = (index: number) => `DONE#${String(index).padStart(5, '0')}`;
export const batchFailedKey = (index: number) => `FAILED#${String(index).padStart(5, '0')}`;
export const VERIFIED_ITEM = 'VERIFIED';
export const ledgerKey = (instanceId: string) => `INSTANCE#${instanceId}`;
export const openShardKey = (instanceId: string) => `OPEN#${shardOf(instanceId)}`;

/** A stable shard for an id (FNV-1a), so an instance's open item is always in the same partition. */
function shardOf(instanceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < instanceId.length; i++) hash = Math.imul(hash ^ instanceId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % OPEN_SHARDS;
}

export class RunStore {
  private readonly doc: DynamoDBDocumentClient;
  /** Whether `openProblemIds` met the single item of earlier versions. */
  private legacyOpenSet = false;

  constructor(
    /** The table's client and name, for the journal and the outbox (workflow/journal.ts, outbox.ts). */
    readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly clock: () => Date,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  private expiresAt(days: number): number {
    return Math.floor(this.clock().getTime() / 1000) + days * 86_400;
  }

  /**
   * Takes the lock unless another live run holds it. An expired lock (crashed run) is taken over,
   * and a run that already holds it (a retried Start run) takes it again. A lock never holds
   * longer than a lock's lifetime (LOCK_SECONDS) from when it was taken, whatever its
   * `expiresAt` says: one taken
   * longer ago than that, taken in the future (a clock or hand-written item), or with no time it
   * was taken is stale and taken over too.
   */
  async acquireLock(runId: string, holdSeconds: number): Promise<boolean> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const iso = (epoch: number) => new Date(epoch * 1000).toISOString();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: LOCK_PARTITION_KEY,
            sk: 'RUN',
            runId,
            acquiredAt: this.clock().toISOString(),
            expiresAt: now + holdSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR runId = :runId OR expiresAt < :now OR attribute_not_exists(acquiredAt) OR acquiredAt < :oldest OR acquiredAt > :latest',
          ExpressionAttributeValues: {
            ':now': now,
            ':runId': runId,
            // ISO-8601 UTC strings sort as the times they name.
            ':oldest': iso(now - LOCK_SECONDS),
            ':latest': iso(now + LOCK_CLOCK_SKEW_SECONDS),
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Releases the lock only if this run holds it; returns whether it did. */
  async releaseLock(runId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: LOCK_PARTITION_KEY, sk: 'RUN' },
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async putRunItem(runId: string, sk: string, data: object): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        // A JSON round trip turns Dates into ISO strings (the document client refuses Date objects).
        Item: {
          pk: runKey(runId),
          sk,
          data: JSON.parse(JSON.stringify(data)),
          expiresAt: this.expiresAt(RUN_DATA_DAYS),
        },
      }),
    );
  }

  async getRunItem<T>(runId: string, sk: string): Promise<T> {
    const data = await this.findRunItem<T>(runId, sk);
    if (data === undefined)
      throw new Error(`Run ${runId} has no ${sk} item: it expired or was never written.`);
    return data;
  }

  /** The item's data, or `undefined` when there is none. */
  async findRunItem<T>(runId: string, sk: string): Promise<T | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: runKey(runId), sk } }),
    );
    return Item?.data as T | undefined;
  }

  /** Every item of the run whose sort key starts with the prefix (paginated to the end). */
  async queryRunItems<T>(runId: string, prefix: string): Promise<T[]> {
    const items: T[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': runKey(runId), ':prefix': prefix },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) items.push(item.data as T);
    return items;
  }

  async getLedger<T>(instanceIds: readonly string[]): Promise<Map<string, T>> {
    const entries = new Map<string, T>();
    for (let i = 0; i < instanceIds.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = instanceIds
        .slice(i, i + 100)
        .map((id) => ({ pk: ledgerKey(id), sk: 'LEDGER' }));
      // BatchGet may hand back unprocessed keys under load: ask again, backing off (with jitter)
      // as DynamoDB asks, until none are left.
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt > 0) await sleep(Math.random() * Math.min(2000, 50 * 2 ** attempt));
        const answer: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? [])
          entries.set(String(item.pk).slice('INSTANCE#'.length), item.data as T);
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return entries;
  }

  /** The ids in the open-problem set (and in the single item earlier versions kept). */
  async openProblemIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    await Promise.all(
      Array.from({ length: OPEN_SHARDS }, async (_, shard) => {
        const pages = paginateQuery(
          { client: this.doc },
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `OPEN#${shard}` },
            ProjectionExpression: 'sk',
          },
        );
        for await (const page of pages) for (const item of page.Items ?? []) ids.add(String(item.sk));
      }),
    );
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: LEGACY_OPEN }));
    this.legacyOpenSet = Boolean(Item);
    for (const id of (Item?.instanceIds as string[] | undefined) ?? []) ids.add(id);
    return ids;
  }

  /** The last run that reported, if any: what "since the last run" means. */
  async lastReportedRun(): Promise<{ runId: string; at: string } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: 'LEDGER', sk: 'LAST-RUN' } }),
    );
    return Item ? { runId: String(Item.runId), at: String(Item.at) } : undefined;
  }

  async putLastReportedRun(runId: string, at: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'LEDGER', sk: 'LAST-RUN', runId, at: at.toISOString() },
      }),
    );
  }

  /** Ledger entries of instances that had a problem: to notice recoveries. */
  async openLedgerEntries<T>(): Promise<Map<string, T>> {
    return this.getLedger<T>([...(await this.openProblemIds())]);
  }

  async putLedger(instanceId: string, data: object): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: ledgerKey(instanceId),
          sk: 'LEDGER',
          data: JSON.parse(JSON.stringify(data)),
          expiresAt: this.expiresAt(LEDGER_DAYS),
        },
      }),
    );
  }

  /** Ledger entries, a bounded number of writes at once. */
  async putLedgers(entries: readonly { instanceId: string; data: object }[]): Promise<void> {
    await mapBounded(entries, WRITES_AT_ONCE, (entry) => this.putLedger(entry.instanceId, entry.data));
  }

  /**
   * Brings the open-problem set from `before` to `after`: an item put for each problem that
   * opened, deleted for each that closed, nothing for the rest.
   */
  async updateOpenProblems(before: ReadonlySet<string>, after: ReadonlySet<string>): Promise<void> {
    const opened = [...after].filter((id) => !before.has(id));
    const closed = [...before].filter((id) => !after.has(id));
    await mapBounded([...opened, ...closed], WRITES_AT_ONCE, (id) =>
      after.has(id)
        ? this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: openShardKey(id), sk: id } }))
        : this.doc.send(
            new DeleteCommand({ TableName: this.tableName, Key: { pk: openShardKey(id), sk: id } }),
          ),
    );
    // The earlier single item, now carried into the set: removed so it is not read again.
    if (this.legacyOpenSet)
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: LEGACY_OPEN }));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
