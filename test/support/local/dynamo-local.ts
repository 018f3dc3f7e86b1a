/**
 * A real DynamoDB-compatible server (dynalite, in memory) on loopback, with the stack's table, so
 * local runs exercise the real document client, conditions and pagination — no hand-written fake.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
// dynalite ships no types: it is a function returning an http.Server.
import dynalite from 'dynalite';
import { localDynamoConfig } from './dynamo-config.ts';

export interface LocalDynamo {
  client: DynamoDBClient;
  tableName: string;
  /** Where the server listens (`http://127.0.0.1:<port>`): clients in other processes reach it here. */
  endpoint: string;
  /** Another client of the same server (each stage gets its own, under its own role). */
  newClient(): DynamoDBClient;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Called with every client made for this server (the benchmark counts writes with it). */
  observe?: (client: DynamoDBClient) => void;
}

export async function startLocalDynamo(
  tableName = 'ssm-doctor-local',
  options: LocalDynamoOptions = {},
): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Node closes idle keep-alive sockets after 5 s, DynamoDB far later: a stage that computes for a
  // few seconds between two calls (the report of 1,000 findings) must not find its socket reset.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const newClient = () => {
    const made = new DynamoDBClient(localDynamoConfig(endpoint));
    clients.push(made);
    options.observe?.(made);
    return made;
  };
  const client = newClient();
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  // dynalite flips the table to ACTIVE on the next tick; the SDK waiter's minimum delay is seconds.
  for (let tries = 0; tries < 100; tries++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    client,
    tableName,
    endpoint,
    newClient,
    close: () =>
      new Promise<void>((resolve) => {
        for (const made of clients) made.destroy();
        server.close(() => resolve());
      }),
  };
}
