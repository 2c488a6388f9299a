import { SinkConfigError } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { mongo } from '../src/index.js';
import { FakeMongo } from './support/fake-mongo.js';

describe("mongo's URI", () => {
  it("takes kube-eventer's URI verbatim and its own keys out of the connection string", async () => {
    const server = await FakeMongo.start();
    const sink = await mongo.fromUri(
      `mongo:?${server.url}&database=events&collection=k8s_event&write_concern=majority`,
    );
    try {
      await sink.write([], { signal: new AbortController().signal });
      const { normalizeEvent } = await import('@keventer/core');
      const { buildEvent } = await import('@keventer/testing');
      await sink.write([normalizeEvent(buildEvent())], { signal: new AbortController().signal });
      expect(server.documents('events.k8s_event')).toHaveLength(1);
    } finally {
      await sink.close?.();
      await server.close();
    }
  });

  it.each([
    ['mongo:?http://db:27017', /url.*mongodb:\/\//],
    ['mongo:?mongodb://db:27017/?write_concern=0', /write_concern.*'0'/],
    ['mongo:?mongodb://db:27017/?w=0', /w=0/],
    ['mongo:?mongodb://db:27017/?database=a.b', /database.*'a\.b'/],
    ['mongo:?mongodb://db:27017/?readPreference=sometimes', /url/],
  ])('refuses %s at startup, naming the value', async (uri, error) => {
    const failure = await mongo.fromUri(uri).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SinkConfigError);
    expect(String((failure as Error).message)).toMatch(error);
  });

  it('never shows the password', async () => {
    const failure = await mongo
      .fromUri('mongo:?mongodb://keventer:S3cretPw@db:27017/?readPreference=sometimes')
      .catch((e: unknown) => e);
    expect(String((failure as Error).message)).not.toContain('S3cretPw');
  });
});
