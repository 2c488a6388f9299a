import type { DigestEvent } from '@keventer/core';
import { digestOf } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';
import { backOff, startFake, write } from './support.js';

/** A digest of `count` more BackOffs, over four minutes, of two pods. */
const digestOfBackOffs = (count: number): DigestEvent =>
  digestOf(backOff('Back-off restarting failed container', 'web-1'), {
    count,
    last: backOff('Back-off 5m0s restarting failed container', 'web-2'),
    lastTimestamp: '2025-03-04T05:10:07.000Z',
  });

describe('wechat rendering', () => {
  it('renders a digest as one message', async () => {
    const fake = await startFake();
    await write(await wechat({ endpoint: fake.robotUrl() }), digestOfBackOffs(12));
    expect(fake.robotMessages).toHaveLength(1);
    expect(fake.robotMessages[0]?.content.split('\n').slice(-3)).toEqual([
      'Repeated: 12 more times from 2025-03-04T05:06:07.000Z to 2025-03-04T05:10:07.000Z',
      'Objects: Pod shop/web-1, Pod shop/web-2',
      'Last message: Back-off 5m0s restarting failed container',
    ]);
  });

  it('renders a template, labels first', async () => {
    const fake = await startFake();
    const sink = await wechat({
      endpoint: fake.robotUrl(),
      label: ['[prod]'],
      template: '{{ .Type }} {{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}: {{ .Message }}',
    });
    await write(sink, backOff('say "hi"\\'));
    expect(fake.robotMessages[0]?.content).toBe('[prod]\nWarning Pod/web-1: say "hi"\\');
  });

  it('cuts a long template output too', async () => {
    const fake = await startFake();
    const sink = await wechat({ endpoint: fake.robotUrl(), template: '{{ .Message }}' });
    await write(sink, backOff('x'.repeat(5000)));
    expect(Buffer.byteLength(fake.robotMessages[0]?.content ?? '')).toBe(2048);
  });
});
