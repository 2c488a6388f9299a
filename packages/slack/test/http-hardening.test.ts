import { FakeHttpReceiver, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { slack } from '../src/index.js';

const SECRET = 'slackHookSecret0Zq91';
const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
async function start(...answers: Parameters<FakeHttpReceiver['answerNext']>) {
  const receiver = await FakeHttpReceiver.start();
  receivers.push(receiver);
  receiver.answerNext(...answers);
  return receiver;
}
const hookOf = (receiver: FakeHttpReceiver) => `${receiver.url}/services/T0001/B0001/${SECRET}`;

describe("slack: only Slack's own answer is a success", () => {
  it.each([[{ status: 200, body: 'ok' }], [{ status: 200, body: '{"ok":true}' }]])(
    '%j is delivered',
    async (answer) => {
      const hook = await start(answer);
      const sink = await slack({ endpoint: hookOf(hook) });
      await sink.write([podEvent('web-1')], { signal: AbortSignal.timeout(5000) });
      expect(hook.requests).toHaveLength(1);
    },
  );

  it.each([
    { status: 200, body: '<html>proxy login</html>' },
    { status: 204, body: '' },
    { status: 202, body: '{"ok":false}' },
  ])("a 2xx that is not Slack's ok (%j) is a permanent error", async (answer) => {
    const hook = await start(answer);
    const sink = await slack({ endpoint: hookOf(hook) });
    const error = await failingWrite(sink, [podEvent('web-1')]);
    expect(error).toMatchObject({ retryable: false, statusCode: answer.status });
    expect(error.message).toContain("not Slack's 'ok'");
  });

  it('a 301 to another host is not followed as a bodyless GET and counted sent', async () => {
    const other = await start();
    const hook = await start({
      status: 301,
      headers: { location: `${other.url}/services/T0001/B0001/${SECRET}` },
      body: '',
    });
    const sink = await slack({ endpoint: hookOf(hook) });
    const error = await failingWrite(sink, [podEvent('web-1')]);
    expect(error).toMatchObject({ retryable: false, statusCode: 301 });
    expect(error.message).toContain(`redirects to ${other.url}`);
    expect(other.requests).toHaveLength(0);
    expect(`${error.message}${String(error.stack)}`).not.toContain(SECRET);
  });

  it('the secret path a receiver echoes (Cannot POST /services/...) stays hidden', async () => {
    const hook = await start('echo');
    const sink = await slack({ endpoint: hookOf(hook) });
    const error = await failingWrite(sink, [podEvent('web-1')]);
    expect(error.message).toContain('Cannot POST');
    expect(`${error.message}${String(error.stack)}`).not.toContain(SECRET);
  });
});
