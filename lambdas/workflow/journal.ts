/**
 * The change journal in the run's table, apart from the run's own items:
 *
 *   pk               sk                                      what
 *   JOURNAL#<run>    CHANGE#<fix>#<target>#<instance>#INTENT  written before the write
 *   JOURNAL#<run>    CHANGE#<fix>#<target>#<instance>#OUTCOME written after it: before/after, time, request id, error
 *
 * Append-only: every put is conditional on the item not existing, so nothing overwrites a line,
 * and there is no `expiresAt`, so TTL never deletes one. The table is retained on stack deletion
 * and has point-in-time recovery. (S3 with Object Lock would also stop an administrator from
 * deleting lines, but it adds a bucket, a key policy, a client and a second store to every stage
 * that writes; the writes here are a few per run, the table is already there, and a conditional
 * put gives what resuming needs: one intent per change and run, readable with one Query.)
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type ChangeJournal,
  changeId,
  type IntentAnswer,
  type IntentLine,
  type JournalLine,
  type OutcomeLine,
} from '../pipeline/journal.ts';
import { markUntold } from './outbox.ts';

export const journalKey = (runId: string) => `JOURNAL#${runId}`;
const lineKey = (line: JournalLine) => `CHANGE#${changeId(line)}#${line.event.toUpperCase()}`;

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class TableJournal implements ChangeJournal {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly runId: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Appends a line; false when that line already exists (an earlier attempt wrote it). */
  private async append(line: JournalLine): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: journalKey(this.runId), sk: lineKey(line), line: JSON.parse(JSON.stringify(line)) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async intent(line: IntentLine): Promise<IntentAnswer> {
    const stamped = { ...line, runId: this.runId };
    // The run has changes to tell before its first one is made: whoever emails them clears this.
    await markUntold(this.doc, this.tableName, this.runId);
    if (await this.append(stamped)) return { existed: false };
    const outcomeKey = lineKey({ ...stamped, event: 'outcome' } as OutcomeLine);
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: journalKey(this.runId), sk: outcomeKey },
        ConsistentRead: true,
      }),
    );
    return { existed: true, ...(Item ? { outcome: Item.line as OutcomeLine } : {}) };
  }

  async outcome(line: OutcomeLine): Promise<void> {
    await this.append({ ...line, runId: this.runId });
  }
}

/** Every line a run journaled, in key order (intent before outcome for each change). */
export async function readJournal(
  client: DynamoDBClient,
  tableName: string,
  runId: string,
): Promise<JournalLine[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const lines: JournalLine[] = [];
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': journalKey(runId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) lines.push(item.line as JournalLine);
  return lines;
}

/**
 * The run's changes, one per fix acted on: its outcome, or the intent alone when the run died
 * around the write (the change may or may not have been made: the email says so).
 */
export function changesOf(lines: readonly JournalLine[]): (OutcomeLine | IntentLine)[] {
  const byChange = new Map<string, OutcomeLine | IntentLine>();
  for (const line of lines) {
    const id = changeId(line);
    if (line.event === 'outcome' || !byChange.has(id)) byChange.set(id, line);
  }
  return [...byChange.values()];
}

/** The lines an email lists: one per change, what was done and how it ended. */
export function describeChanges(changes: readonly (OutcomeLine | IntentLine)[]): string[] {
  return changes.map((c) => {
    const what = `${c.fix} on ${c.target}${c.target === c.instanceId ? '' : ` (for ${c.instanceId})`}`;
    if (c.event === 'intent')
      return `- ${what}: started at ${c.at}, outcome not recorded (the run stopped around the write; check the instance or role)`;
    const detail = [
      c.operation,
      c.requestId ? `request ${c.requestId}` : undefined,
      c.reason,
      c.resumed ? 'made by an earlier attempt of this run' : undefined,
    ].filter(Boolean);
    return `- ${what}: ${c.status.toUpperCase()} at ${c.at}${detail.length ? ` (${detail.join(', ')})` : ''}`;
  });
}
