import type { Sink, SinkError } from '@keventer/core';
import { FakeSlackWebhook, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { slack } from '../src/index.js';
import { ctx } from './support.js';

const hooks: FakeSlackWebhook[] = [];
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.close();
});
async function startHook(options: Parameters<typeof FakeSlackWebhook.start>[0] = {}) {
  const hook = await FakeSlackWebhook.start(options);
  hooks.push(hook);
  return hook;
}

/** Writes one event and returns the SinkError it must fail with. */
const failure = (sink: Sink): Promise<SinkError> => failingWrite(sink, [podEvent('web-1')]);

describe('slack answers', () => {
  it('over 1 a second is a 429, retryable after the Retry-After seconds', async () => {
    let now = 10_000;
    const hook = await startHook({ now: () => now });
    const sink = await slack({ endpoint: hook.url });
    await sink.write([podEvent('a')], ctx());
    now += 400;
    const error = await failure(sink);
    expect(error).toMatchObject({ retryable: true, statusCode: 429, retryAfterMs: 1000 });
    expect(error.message).toMatch(/Slack answered HTTP 429 rate_limited \(retry after 1000 ms\)/);
    now += 600;
    await sink.write([podEvent('b')], ctx());
    expect(hook.messages).toHaveLength(2);
    hook.failNext('rate_limited');
    expect(await failure(sink)).toMatchObject({ retryAfterMs: 30_000 });
  });

  it('5xx is retryable', async () => {
    const hook = await startHook();
    hook.failNext('internal_error', { status: 503, body: '' });
    const sink = await slack({ endpoint: hook.url });
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 500 });
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 503 });
  });

  it('Slack error bodies are permanent, with the body and what it means', async () => {
    const hook = await startHook({ rateLimit: { max: 100 } });
    const sink = await slack({ endpoint: hook.url });
    const cases = [
      [
        'channel_not_found',
        404,
        /HTTP 404 channel_not_found: the webhook's channel no longer exists/,
      ],
      [
        'channel_is_archived',
        410,
        /HTTP 410 channel_is_archived: the webhook's channel is archived/,
      ],
      ['action_prohibited', 403, /HTTP 403 action_prohibited: an admin has restricted posting/],
      ['invalid_payload', 400, /HTTP 400 invalid_payload: the body is not a valid message/],
      ['no_text', 400, /HTTP 400 no_text: the message had neither text nor blocks/],
    ] as const;
    for (const [name, status, message] of cases) {
      hook.failNext(name);
      const error = await failure(sink);
      expect(error).toMatchObject({ retryable: false, statusCode: status });
      expect(error.message).toMatch(message);
    }
    hook.failNext({ status: 400, body: 'something_new' });
    expect((await failure(sink)).message).toMatch(/Slack answered HTTP 400 something_new$/);
  });

  it('a wrong secret is 403 invalid_token, an unknown webhook 404 no_service; neither shows the path', async () => {
    const hook = await startHook({ path: 'T0TEAM/B0BOT/right-secret-abc' });
    const wrong = await slack({
      endpoint: `${hook.origin}/services/T0TEAM/B0BOT/wrong-secret-xyz`,
    });
    const token = await failure(wrong);
    expect(token).toMatchObject({ retryable: false, statusCode: 403 });
    expect(token.message).toMatch(
      /invalid_token: the webhook URL's secret is wrong or was revoked/,
    );
    const gone = await slack({ endpoint: `${hook.origin}/services/T9/B9/other-secret-777` });
    expect((await failure(gone)).message).toMatch(/HTTP 404 no_service: the webhook was removed/);
    for (const error of [token, await failure(gone)]) {
      const shown = `${error.message}\n${String(error.stack)}`;
      expect(shown).not.toMatch(/wrong-secret-xyz|other-secret-777|right-secret-abc/);
    }
    expect(hook.messages).toHaveLength(0);
  });

  it('a network error is retryable and does not show the webhook path', async () => {
    const hook = await startHook({ path: 'T1/B1/net-secret-4242' });
    const { url } = hook;
    await hook.close();
    hooks.splice(hooks.indexOf(hook), 1);
    const error = await failure(await slack({ endpoint: url }));
    expect(error.retryable).toBe(true);
    expect(`${error.message}\n${String(error.stack)}`).not.toContain('net-secret-4242');
  });
});

describe('FakeSlackWebhook', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => [r.status, await r.text()]);

  it('checks the body as Slack does', async () => {
    const hook = await startHook({ rateLimit: { max: 100 } });
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(await post(hook.url, 'not json')).toEqual([400, 'invalid_payload']);
    expect(await post(hook.url, {})).toEqual([400, 'no_text']);
    expect(await post(hook.url, { text: '', blocks: [] })).toEqual([400, 'no_text']);
    expect(await post(hook.url, { blocks: [{ type: 'section' }] })).toEqual([
      400,
      'invalid_blocks',
    ]);
    expect(await post(hook.url, { blocks: [section('x'.repeat(3001))] })).toEqual([
      400,
      'invalid_blocks',
    ]);
    expect(await post(hook.url, { blocks: Array(51).fill(section('x')) })).toEqual([
      400,
      'invalid_blocks',
    ]);
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    expect(await post(hook.url, { text: 'x', blocks: [header] })).toEqual([400, 'invalid_blocks']);
    expect(hook.messages).toHaveLength(0);
    expect(await post(hook.url, { blocks: Array(50).fill(section('x')) })).toEqual([200, 'ok']);
    expect(await post(hook.url, { text: 'y'.repeat(40_001) })).toEqual([200, 'ok']);
    expect(hook.messages[1]?.text).toHaveLength(40_000); // Slack cuts, it does not refuse
  });
});
