import { randomUUID } from 'node:crypto';
import type { Sink } from '@keventer/core/kit';
import { buildEvent, failingWrite, startForwarding } from '@keventer/testing';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { mongo } from '../src/index.js';
import { shopEvents } from '../test/support/events.js';

/**
 * Only against a real MongoDB (none can be installed here, so CI skips it):
 * MONGO_URL=mongodb://user:pw@localhost:27017/?authSource=admin npm run test:services -- packages/mongo
 * Each test writes to a database of its own, dropped afterwards.
 */
const MONGO_URL = process.env.MONGO_URL ?? '';
const suite = MONGO_URL ? describe : describe.skip;

/** The connection string with one more query key (kube-eventer's URI form carries the sink's keys so). */
const withKey = (url: string, key: string) =>
  url.includes('?') ? `${url}&${key}` : `${url}${url.endsWith('/') ? '' : '/'}?${key}`;

const signal = () => AbortSignal.timeout(15_000);
/** At their second occurrence. */
const events = (length: number, from = 0) => shopEvents(length, from, 2);

suite(`mongo on a real MongoDB${MONGO_URL ? '' : ' (skipped: set MONGO_URL=mongodb://... to run it)'}`, () => {
  let client: MongoClient;
  const databases: string[] = [];
  const freshDatabase = () => {
    const name = `keventer_t_${randomUUID().slice(0, 8)}`;
    databases.push(name);
    return name;
  };
  const sinks: Sink[] = [];
  const sinkOn = async (database: string, extra: Record<string, unknown> = {}) => {
    const sink = await mongo({ url: MONGO_URL, database, ...extra });
    sinks.push(sink);
    return sink;
  };
  beforeAll(async () => {
    client = await MongoClient.connect(MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  });
  afterAll(async () => {
    for (const sink of sinks) await sink.close?.();
    for (const name of databases) await client?.db(name).dropDatabase();
    await client?.close();
  });

  it("inserts kube-eventer's documents, one per occurrence even when a batch is replayed", async () => {
    const database = freshDatabase();
    const sink = await sinkOn(database, { write_concern: 'majority' });
    await sink.write(events(3), { signal: signal() });
    await sink.write(events(3), { signal: signal() }); // all duplicates: delivered
    await sink.write(events(4, 2), { signal: signal() }); // one old, three new
    const docs = await client.db(database).collection('event').find().toArray();
    expect(docs).toHaveLength(6);
    const first = docs.find((d) => d.name === 'web-0');
    expect(first).toMatchObject({
      count: 2,
      namespace: 'shop',
      kind: 'Pod',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off 0 中文 ✓',
      event_id: 'uid-0',
      first_occurrence_time: new Date('2026-12-06T10:00:00Z'),
      last_occurrence_time: new Date('2026-12-06T10:05:00Z'),
    });
    expect(String(first?._id)).toMatch(/^uid-0\//);
  });

  it('a refused document fails alone; the others of its batch are written', async () => {
    const database = freshDatabase();
    // A validator that refuses one pod's document (code 121, DocumentValidationFailure).
    await client.db(database).createCollection('event', {
      validator: { name: { $ne: 'web-2' } },
    });
    const sink = await sinkOn(database);
    const error = await failingWrite(sink, events(4));
    const failures = (error as unknown as { failures?: Array<{ index: number }> }).failures;
    expect(failures?.map((f) => f.index)).toEqual([2]);
    expect(await client.db(database).collection('event').countDocuments()).toBe(3);
  });

  it('a wrong password is permanent and does not show it', async () => {
    const credentials = /^(mongodb(?:\+srv)?:\/\/[^:@/]+:)[^@]*@/;
    if (!credentials.test(MONGO_URL)) return; // a server without auth takes any client
    const wrong = 'Wr0ng-Passw0rd-xyz';
    const url = MONGO_URL.replace(credentials, `$1${wrong}@`);
    const sink = await mongo({ url, database: freshDatabase(), timeout: '5s' });
    sinks.push(sink);
    const error = await failingWrite(sink, events(1));
    expect(error.retryable).toBe(false);
    expect(`${error.message}${error.stack}`).not.toContain(wrong);
  });

  it("forwards from the Kubernetes API through kube-eventer's URI, each occurrence once", async () => {
    const database = freshDatabase();
    // kube-eventer's URI form: the whole query is the connection string.
    const routed = await mongo.fromUri(
      `mongo:?${withKey(MONGO_URL, `database=${database}`)}&batch.maxEvents=100`,
    );
    sinks.push(routed);
    const { api, stop } = await startForwarding([{ sink: routed }], {
      registerCleanup: onTestFinished,
    });
    const TOTAL = 500;
    for (let i = 0; i < TOTAL; i++)
      api.createEvent(
        buildEvent({
          type: 'Warning',
          reason: 'BackOff',
          involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i}` },
        }),
      );
    const collection = client.db(database).collection('event');
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      if ((await collection.countDocuments()) >= TOTAL) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const report = await stop();
    expect(report.undelivered).toBe(0);
    expect(await collection.countDocuments()).toBe(TOTAL);
  });
});
