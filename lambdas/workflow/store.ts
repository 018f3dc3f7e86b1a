/**
 * The run's table. Step Functions carries references only; everything that grows with the fleet
 * lives here, under one run partition (expiring after a week), beside the run lock and the
 * per-instance ledger that outlive runs.
 *
 *   pk            sk               what
 *   LOCK          RUN              the run lock (conditional put, expires by itself)
 *   RUN#<id>      META             settings, identity, summary, errors of the run
 *   RUN#<id>      BATCH#<nnnnn>    candidate references of one batch
 *   RUN#<id>      PROFILES#<nnnnn> who uses some of the candidates' instance profiles
 *   RUN#<id>      FINDING#<i-…>    one finding and its plan subject
 *   RUN#<id>      REPORT           the final report's summary (what the email was built from)
 *   INSTANCE#<i>  LEDGER           first/last seen, cause, fixes tried, last notified
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
import { LOCK_SECONDS } from './deps.ts';
import type { FindingItem } from './run-data.ts';

const RUN_DATA_DAYS = 7;
/** How far in the future a lock's `acquiredAt` may be before it is taken for a bogus item. */
const LOCK_CLOCK_SKEW_SECONDS = 300;
const LEDGER_DAYS = 90;

/** The partition of the run lock: the only item `Notify failure` may touch. */
export const LOCK_PARTITION_KEY = 'LOCK';

export const runKey = (runId: string) => `RUN#${runId}`;
export const batchKey = (index: number) => `BATCH#${String(index).padStart(5, '0')}`;
export const profilesKey = (index: number) => `PROFILES#${String(index).padStart(5, '0')}`;
export const findingKey = (instanceId: string) => `FINDING#${instanceId}`;
export const ledgerKey = (instanceId: string) => `INSTANCE#${instanceId}`;

export class RunStore {
  private readonly doc: DynamoDBDocumentClient;

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

  /** Each finding with its plan subject, one item per instance (stages rewrite them as the run goes on). */
  async putFindings(runId: string, items: readonly FindingItem[]): Promise<void> {
    await Promise.all(items.map((item) => this.putRunItem(runId, findingKey(item.finding.instanceId), item)));
  }

  async getRunItem<T>(runId: string, sk: string): Promise<T> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: runKey(runId), sk } }),
    );
    if (!Item) throw new Error(`Run ${runId} has no ${sk} item: it expired or was never written.`);
    return Item.data as T;
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

  /** Ledger entries of instances that had a problem: to notice recoveries. */
  async openLedgerEntries<T>(): Promise<Map<string, T>> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: 'LEDGER', sk: 'OPEN' } }),
    );
    const ids = (Item?.instanceIds as string[] | undefined) ?? [];
    return this.getLedger<T>(ids);
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

  /** The ids of instances with an open problem, one small item, so recoveries need no scan. */
  async putOpenLedgerIds(instanceIds: readonly string[]): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'LEDGER', sk: 'OPEN', instanceIds: [...instanceIds] },
      }),
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
