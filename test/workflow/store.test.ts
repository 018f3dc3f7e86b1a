/** The table adapter at the SDK boundary: what dynalite cannot make happen (unprocessed keys). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../lambdas/workflow/store.ts';

// Mocks the class, i.e. every document client of this process: put it back for the test files that
// run after this one in the same worker (vitest runs them unisolated) and talk to dynalite.
const documents = mockClient(DynamoDBDocumentClient);
afterEach(() => documents.reset());
afterAll(() => documents.restore());

describe('RunStore.getLedger', () => {
  it('asks again for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const item = (id: string) => ({ pk: `INSTANCE#${id}`, sk: 'LEDGER', data: { instanceId: id } });
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { t: [item('i-1')] },
        UnprocessedKeys: { t: { Keys: [{ pk: 'INSTANCE#i-2', sk: 'LEDGER' }] } },
      })
      .resolvesOnce({ Responses: { t: [item('i-2')] } });
    const store = new RunStore(new DynamoDBClient({ region: 'eu-west-1' }), 't', () => new Date());

    // Act
    const ledger = await store.getLedger<{ instanceId: string }>(['i-1', 'i-2']);

    // Assess
    expect([...ledger.keys()].sort()).toEqual(['i-1', 'i-2']);
    const calls = documents.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.t?.Keys).toEqual([{ pk: 'INSTANCE#i-2', sk: 'LEDGER' }]);
  });
});
