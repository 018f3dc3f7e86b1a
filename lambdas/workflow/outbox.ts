/**
 * Emails that are told exactly once, and never lost. Each email has a run-scoped id
 * (`<run id>/run`, `<run id>/failure`); its publish is recorded right after SNS accepts it and
 * checked before publishing, so a retried stage does not send it twice. An email SNS refused is
 * kept, and so is the fact that a run has changes nobody was told about yet; the next run's email
 * carries both, and clears them once it is sent.
 *
 *   pk       sk               what
 *   OUTBOX   SENT#<email id>  the email was published (message id, time; expires after 30 days)
 *   OUTBOX   KEPT#<email id>  an email that could not be published: subject and body
 *   OUTBOX   UNTOLD#<run id>  the run journaled changes no published email has listed yet
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { Email } from './email.ts';

export const OUTBOX_PARTITION = 'OUTBOX';
const SENT_DAYS = 30;
/** What the carried sections may add to an email (SNS takes 256 KiB; the run's own email keeps the rest). */
const CARRIED_BUDGET = 12 * 1024;

export type EmailKind = 'run' | 'failure';
export const emailId = (runId: string, kind: EmailKind) => `${runId}/${kind}`;

export interface KeptEmail {
  emailId: string;
  subject: string;
  body: string;
  keptAt: string;
}

export interface Pending {
  kept: KeptEmail[];
  /** Runs with journaled changes that no published email listed. */
  untold: string[];
}

/** Marks a run as having changes to tell (idempotent; written before its first change). */
export async function markUntold(
  doc: DynamoDBDocumentClient,
  tableName: string,
  runId: string,
): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk: OUTBOX_PARTITION, sk: `UNTOLD#${runId}`, runId },
    }),
  );
}

export class Outbox {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: () => Date,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  private key(sk: string) {
    return { pk: OUTBOX_PARTITION, sk };
  }

  async wasSent(id: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(`SENT#${id}`), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /**
   * Publishes the email unless it was already published. If SNS refuses it, the email is kept
   * (when the table takes it) and the error goes on, so the stage fails loudly.
   */
  async publishOnce(
    sns: SNSClient,
    topicArn: string,
    id: string,
    email: Email,
  ): Promise<'sent' | 'already-sent'> {
    // An unreadable table must not silence the email: better a rare second copy than none.
    if (await this.wasSent(id).catch(() => false)) return 'already-sent';
    const body = `${email.body.trimEnd()}\n\nEmail id: ${id}\n`;
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await sns.send(
        new PublishCommand({ TopicArn: topicArn, Subject: email.subject, Message: body }),
      ));
    } catch (error) {
      await this.keep(id, email).catch(() => undefined);
      throw error;
    }
    // Recorded before returning; if the table refuses, the email is out all the same.
    await this.doc
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(`SENT#${id}`),
            messageId,
            sentAt: this.clock().toISOString(),
            expiresAt: Math.floor(this.clock().getTime() / 1000) + SENT_DAYS * 86_400,
          },
        }),
      )
      .catch(() => undefined);
    // An earlier attempt of this stage may have kept it: sent now, so not to be carried.
    await this.delete(`KEPT#${id}`).catch(() => undefined);
    return 'sent';
  }

  async keep(id: string, email: Email): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...this.key(`KEPT#${id}`),
          emailId: id,
          subject: email.subject,
          body: email.body,
          keptAt: this.clock().toISOString(),
        },
      }),
    );
  }

  /** Kept emails and untold runs, other than `exceptRunId`'s own. */
  async pending(exceptRunId?: string): Promise<Pending> {
    const pending: Pending = { kept: [], untold: [] };
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': OUTBOX_PARTITION },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const sk = String(item.sk);
        if (sk.startsWith('KEPT#') && !String(item.emailId).startsWith(`${exceptRunId}/`))
          pending.kept.push(item as unknown as KeptEmail);
        if (sk.startsWith('UNTOLD#') && item.runId !== exceptRunId) pending.untold.push(String(item.runId));
      }
    }
    return pending;
  }

  async untold(runId: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(`UNTOLD#${runId}`), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /** After an email carrying them was published: the kept emails are sent, the runs told. */
  async clear(kept: readonly string[], toldRuns: readonly string[]): Promise<void> {
    await Promise.all([
      ...kept.map((id) => this.delete(`KEPT#${id}`)),
      ...toldRuns.map((runId) => this.delete(`UNTOLD#${runId}`)),
    ]);
  }

  private async delete(sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(sk) }));
  }
}

/** The run's email with what earlier runs could not tell appended, within a budget of its own. */
export function withCarried(
  email: Email,
  kept: readonly KeptEmail[],
  untoldChanges: ReadonlyMap<string, readonly string[]>,
): Email {
  if (!kept.length && !untoldChanges.size) return email;
  const lines: string[] = [];
  if (untoldChanges.size) {
    lines.push('', 'CHANGES MADE BY EARLIER RUNS THAT NO EMAIL HAS LISTED YET (from the change journal)');
    for (const [runId, changes] of untoldChanges) lines.push(`Run ${runId}:`, ...changes);
  }
  for (const k of kept) {
    lines.push(
      '',
      `EARLIER EMAIL THAT COULD NOT BE SENT (${k.emailId}, kept ${k.keptAt})`,
      `Subject: ${k.subject}`,
    );
    lines.push(...k.body.trimEnd().split('\n'));
  }
  let carried = lines.join('\n');
  if (carried.length > CARRIED_BUDGET)
    carried = `${carried.slice(0, CARRIED_BUDGET)}\n... (cut: the rest is in the change journal, see README "Safety")`;
  return { subject: email.subject, body: `${email.body.trimEnd()}\n${carried}\n` };
}
