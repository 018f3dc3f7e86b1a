/** The table adapter at the SDK boundary: what dynalite cannot make happen (unprocessed keys). */
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../lambdas/workflow/store.ts';

describe('RunStore.getLedger', () => {
  it('asks again for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const dynamo = mockClient(client);
    const item = (id: string) => ({
      pk: { S: `INSTANCE#${id}` },
      sk: { S: 'LEDGER' },
      data: { M: { instanceId: { S: id } } },
    });
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { t: [item('i-1')] },
        UnprocessedKeys: { t: { Keys: [{ pk: { S: 'INSTANCE#i-2' }, sk: { S: 'LEDGER' } }] } },
      })
      .resolvesOnce({ Responses: { t: [item('i-2')] } });
    const store = new RunStore(client, 't', () => new Date());

    // Act
    const ledger = await store.getLedger<{ instanceId: string }>(['i-1', 'i-2']);

    // Assess
    expect([...ledger.keys()].sort()).toEqual(['i-1', 'i-2']);
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(BatchGetItemCommand)[1]?.args[0].input.RequestItems?.t?.Keys).toEqual([
      { pk: { S: 'INSTANCE#i-2' }, sk: { S: 'LEDGER' } },
    ]);
  });
});
