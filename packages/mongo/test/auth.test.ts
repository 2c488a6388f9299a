import { normalizeEvent } from '@keventer/core';
import { buildEvent, failingWrite } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { mongo } from '../src/index.js';
import { FakeMongo } from './support/fake-mongo.js';

const PASSWORD = 'S3cret-Mongo-pw77';
const servers: FakeMongo[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const server of servers.splice(0)) await server.close();
});
async function authServer() {
  const server = await FakeMongo.start({ users: { keventer: PASSWORD } });
  servers.push(server);
  return server;
}
/** The server's URL with credentials (and its query kept). */
const withUser = (server: FakeMongo, user: string, password: string) =>
  server.url.replace('mongodb://', `mongodb://${user}:${encodeURIComponent(password)}@`);
async function sinkFor(url: string) {
  const sink = await mongo({ url, timeout: '5s' });
  closers.push(async () => sink.close?.());
  return sink;
}
const event = () => normalizeEvent(buildEvent({ involvedObject: { kind: 'Pod', name: 'web-1' } }));

describe('mongo against a server with auth on (SCRAM-SHA-256)', () => {
  it("authenticates with the connection string's user and password, then inserts", async () => {
    const server = await authServer();
    const sink = await sinkFor(withUser(server, 'keventer', PASSWORD));
    await sink.write([event()], { signal: AbortSignal.timeout(10_000) });
    expect(server.documents()).toHaveLength(1);
    expect(server.commands).toEqual(
      expect.arrayContaining(['saslStart', 'saslContinue', 'insert']),
    );
  });

  it('a wrong password is permanent (18), says what to fix, and shows neither password', async () => {
    const server = await authServer();
    const wrong = 'Wr0ng-Mongo-pw11';
    const error = await failingWrite(await sinkFor(withUser(server, 'keventer', wrong)), [event()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Authentication failed.*password/);
    expect(`${error.message}${error.stack}`).not.toContain(wrong);
    expect(server.documents()).toHaveLength(0);
  });

  it('without credentials the insert is refused (13), permanently', async () => {
    const server = await authServer();
    const error = await failingWrite(await sinkFor(server.url), [event()]);
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/requires authentication/);
    expect(server.documents()).toHaveLength(0);
  });
});
