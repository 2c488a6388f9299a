import { FakeHttpReceiver, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';

const SECRET = 'corp-secret-Zq81-do-not-print';
const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
async function start() {
  const receiver = await FakeHttpReceiver.start();
  receivers.push(receiver);
  return receiver;
}
const appSink = (apiBase: string) =>
  wechat({ corp_id: 'ww1', corp_secret: SECRET, agent_id: 1000002, api_base: apiBase });

// gettoken is a GET of its own, with the secret in its URL: the same rules as every send.
describe('wechat: the gettoken request', () => {
  it('follows no redirect: the corp_secret in its URL goes nowhere else', async () => {
    const other = await start();
    const api = await start();
    api.answerNext({ status: 302, headers: { location: `${other.url}/steal` }, body: '' });
    const error = await failingWrite(await appSink(api.url), [podEvent('web-1')]);
    expect(error).toMatchObject({ retryable: false, statusCode: 302 });
    expect(error.message).toContain(`redirects to ${other.url}`);
    expect(other.requests).toHaveLength(0);
    expect(`${error.message}${String(error.stack)}`).not.toContain(SECRET);
  });

  it('reads a bounded answer: an endless body fails fast, not at the 10 s token timeout', async () => {
    const api = await start();
    api.answerNext('endless');
    const started = performance.now();
    const error = await failingWrite(await appSink(api.url), [podEvent('web-1')]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error.message).toContain('gettoken: not a WeCom answer');
    expect(error.message.length).toBeLessThan(1100);
    expect(api.bytesSent).toBeLessThan(64 * 2 ** 20);
  });
});
