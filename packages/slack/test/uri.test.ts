import { createSinkFromUri } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { FakeSlackWebhook, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { slack } from '../src/index.js';
import { ctx } from './support.js';

const SECRET = 'XXXXsecretXXXX0123';
const HOOK = `https://hooks.slack.com/services/T000/B000/${SECRET}`;

const hooks: FakeSlackWebhook[] = [];
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.close();
});

async function configError(uri: string): Promise<SinkConfigError> {
  const error = await createSinkFromUri(uri).then(
    () => expect.unreachable('the URI should have been refused'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SinkConfigError);
  return error as SinkConfigError;
}

describe('slack URIs', () => {
  it('takes the webhook URL as target, options and delivery settings in the query', async () => {
    const { sink, definition, delivery } = await createSinkFromUri(
      `slack:${HOOK}?level=Warning&msg_type=blocks&buffer.whenFull=block`,
    );
    expect(definition).toBe(slack);
    expect(delivery).toEqual({ 'buffer.whenFull': 'block' });
    expect(sink.delivery?.defaults?.request).toMatchObject({
      rateLimitNum: 1,
      rateLimitDurationMs: 1000,
    });
  });

  it('sends what the URI says', async () => {
    const hook = await FakeSlackWebhook.start();
    hooks.push(hook);
    const { sink } = await createSinkFromUri(`slack:${hook.url}?msg_type=blocks&label=*prod*`);
    await sink.write([podEvent('web-1')], ctx());
    expect(hook.messages[0]?.blocks?.map((b) => b.type)).toEqual(['header', 'context', 'section']);
  });

  it('filters with level, namespaces and kinds', async () => {
    const warning = podEvent('w');
    const normal = podEvent('n', { type: 'Normal' });
    const { sink } = await createSinkFromUri(`slack:${HOOK}`);
    expect([sink.filter?.(warning), sink.filter?.(normal)]).toEqual([true, false]);
    const { sink: all } = await createSinkFromUri(
      `slack:${HOOK}?level=Normal&namespaces=shop&kinds=Pod`,
    );
    expect([all.filter?.(warning), all.filter?.(normal)]).toEqual([true, true]);
    const { sink: nodes } = await createSinkFromUri(`slack:${HOOK}?kinds=Node`);
    expect(nodes.filter?.(warning)).toBe(false);
  });

  it('refuses an unknown option and bad values, naming them, with the webhook path hidden', async () => {
    const unknown = await configError(`slack:${HOOK}?channel=%23alerts`);
    expect(unknown.message).toContain("unknown option 'channel'");
    expect(unknown.message).toContain(
      "in 'slack:https://hooks.slack.com/services/***?channel=***'",
    );
    const values = await configError(`slack:${HOOK}?msg_type=attachments&level=warning`);
    expect(values.problems).toHaveLength(2);
    const template = await configError(`slack:${HOOK}?template={{ .Reason`);
    expect(template.message).toMatch(/template.*never closed/);
    for (const error of [unknown, values, template]) {
      expect(`${error.message}${String(error.stack)}`).not.toContain(SECRET);
    }
  });
});
