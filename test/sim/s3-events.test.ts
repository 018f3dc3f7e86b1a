/** The simulated S3 PutObject and EventBridge PutEvents, through the real SDK clients. */
import { Readable } from 'node:stream';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { buildWorld } from '../remediation/worlds.ts';

function account() {
  const simulated = new SimulatedAccount(buildWorld({ instances: [] }));
  return { simulated, clients: createClients({ region: simulated.region, simulated, maxAttempts: 1 }) };
}

describe('simulated S3', () => {
  it('keeps each object written, with its content type and default encryption', async () => {
    const { simulated, clients } = account();

    const out = await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'reports-bucket',
        Key: 'runs/a/report.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
      }),
    );

    expect(out.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(simulated.objects).toEqual([
      {
        Bucket: 'reports-bucket',
        Key: 'runs/a/report.json',
        Body: '{"a":1}',
        Bytes: new Uint8Array(Buffer.from('{"a":1}')),
        ContentType: 'application/json',
        ServerSideEncryption: 'AES256',
      },
    ]);
    expect(simulated.callCounts()).toEqual({ 's3:PutObject': 1 });
  });

  it('gives an object back byte for byte, the latest write of a key winning, and NoSuchKey for none', async () => {
    const { clients } = account();
    const bytes = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00]);
    await clients.s3.send(new PutObjectCommand({ Bucket: 'reports-bucket', Key: 'work/r/x', Body: 'old' }));
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'reports-bucket',
        Key: 'work/r/x',
        Body: bytes,
        ContentEncoding: 'gzip',
      }),
    );

    const got = await clients.s3.send(new GetObjectCommand({ Bucket: 'reports-bucket', Key: 'work/r/x' }));

    expect(await got.Body?.transformToByteArray()).toEqual(bytes);
    expect(got.ContentEncoding).toBe('gzip');
    await expect(
      clients.s3.send(new GetObjectCommand({ Bucket: 'reports-bucket', Key: 'work/r/none' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('takes a streamed body of the length declared, and refuses one of another length (IncompleteBody)', async () => {
    const { simulated, clients } = account();
    const streamed = () => Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]);

    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'reports-bucket',
        Key: 'runs/a/r.json',
        Body: streamed(),
        ContentLength: 7,
      }),
    );
    for (const ContentLength of [6, 8])
      await expect(
        clients.s3.send(
          new PutObjectCommand({
            Bucket: 'reports-bucket',
            Key: 'runs/a/bad',
            Body: streamed(),
            ContentLength,
          }),
        ),
      ).rejects.toMatchObject({ name: 'IncompleteBody', $metadata: { httpStatusCode: 400 } });

    expect(simulated.objects.map((o) => [o.Key, o.Body])).toEqual([['runs/a/r.json', '{"a":1}']]);
  });

  it('refuses a bucket name S3 would refuse', async () => {
    const { clients } = account();
    await expect(
      clients.s3.send(new PutObjectCommand({ Bucket: 'Not_A_Bucket', Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'InvalidBucketName',
    });
  });
});

describe('simulated EventBridge', () => {
  const entry = (n: number) => ({
    Source: 'ssm-doctor',
    DetailType: 'Finding opened',
    Detail: JSON.stringify({ n }),
  });

  it('accepts up to 10 entries on the default bus and reports a malformed one as a failed entry', async () => {
    const { simulated, clients } = account();

    const out = await clients.events.send(
      new PutEventsCommand({ Entries: [entry(1), { ...entry(2), Detail: 'not json' }, entry(3)] }),
    );

    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[1]?.ErrorCode).toBe('MalformedDetail');
    expect(simulated.events.map((e) => e.Detail)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('refuses more than 10 entries or more than 256 KB in one call', async () => {
    const { clients, simulated } = account();
    const eleven = Array.from({ length: 11 }, (_, i) => entry(i));
    await expect(clients.events.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = { ...entry(0), Detail: JSON.stringify({ pad: 'x'.repeat(140_000) }) };
    await expect(clients.events.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(simulated.events).toEqual([]);
  });
});
