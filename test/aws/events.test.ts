/** PutEvents within the API's limits, and entries EventBridge reports as failed sent again. */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, onTestFinished } from 'vitest';
import { batchesOf, entrySize, putEvents } from '../../lambdas/aws/events.ts';

const entry = (n: number, pad = 0): PutEventsRequestEntry => ({
  Source: 'ssm-doctor',
  DetailType: 'Finding opened',
  Detail: JSON.stringify({ n, pad: 'x'.repeat(pad) }),
});

describe('PutEvents batches', () => {
  it('cuts at 10 entries and at 256 KB, keeping the order', () => {
    const many = Array.from({ length: 23 }, (_, i) => entry(i));
    expect(batchesOf(many).batches.map((b) => b.length)).toEqual([10, 10, 3]);

    const big = Array.from({ length: 5 }, (_, i) => entry(i, 100_000));
    const { batches, tooBig } = batchesOf(big);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const b of batches) expect(b.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
    expect(tooBig).toEqual([]);
    expect(batchesOf([entry(0, 300_000)]).tooBig).toHaveLength(1);
  });

  it('sends failed entries again and returns what still fails', async () => {
    // Mocks the class for the whole worker: restored even when an assertion fails.
    const events = mockClient(EventBridgeClient);
    onTestFinished(() => events.restore());
    events
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }, { EventId: 'c' }],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    const client = new EventBridgeClient({ region: 'eu-west-1' });

    const result = await putEvents(client, [entry(1), entry(2), entry(3)]);

    expect(result).toEqual({ sent: 3, failed: [] });
    const calls = events.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries).toEqual([entry(2)]);

    events.reset();
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const stuck = await putEvents(client, [entry(9)]);
    expect(stuck).toEqual({ sent: 0, failed: [{ entry: entry(9), errorCode: 'InternalFailure' }] });
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});
