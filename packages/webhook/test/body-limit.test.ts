import { TRUNCATED_MARKER } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { webhook } from '../src/index.js';
import { kubeEvent, rejection, startReceiver, track, write } from './support.js';

const MiB = 1 << 20;
const SIXTY = `{${Array.from({ length: 60 }, (_, i) => `"m${i}":"{{ .Message }}"`).join(',')}}`;

describe('bodies stay within max_body_bytes (1 MiB by default, the fake receiver refuses more)', () => {
  it('sixty {{ .Message }} of a 1 MiB message: every value cut alike, valid JSON, accepted', async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url, template: SIXTY }));
    const started = performance.now();
    await write(sink, [kubeEvent({ message: `"${'m'.repeat(MiB)}` })]);
    expect(performance.now() - started).toBeLessThan(3000);
    const [request] = receiver.accepted;
    expect(Buffer.byteLength(request?.rawBody ?? '')).toBeLessThanOrEqual(MiB);
    const values = Object.values(request?.body as Record<string, string>);
    expect(values).toHaveLength(60);
    expect(new Set(values).size).toBe(1);
    expect(values[0]?.startsWith('"mmm')).toBe(true);
    expect(values[0]?.endsWith(TRUNCATED_MARKER)).toBe(true);
  });

  it('a body that fits is sent whole, however close to the limit', async () => {
    const receiver = await startReceiver();
    const sink = track(
      await webhook({
        endpoint: receiver.url,
        template: '{"m":"{{ .Message }}"}',
        max_body_bytes: 4096,
      }),
    );
    const message = '中'.repeat(1361); // 4083 bytes + 9 of the frame: 4092
    await write(sink, [kubeEvent({ message })]);
    expect(receiver.accepted[0]?.body).toEqual({ m: message });
  });

  it("kube-eventer's default body: the message is cut to fit", async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url, max_body_bytes: 4096 }));
    await write(sink, [kubeEvent({ message: `\u0001${'x'.repeat(10_000)}` })]);
    const [request] = receiver.accepted;
    expect(Buffer.byteLength(request?.rawBody ?? '')).toBeLessThanOrEqual(4096);
    const body = request?.body as { EventMessage: string; EventReason: string };
    expect(body.EventReason).toBe('BackOff');
    expect(body.EventMessage.startsWith('\u0001xxx')).toBe(true);
    expect(body.EventMessage.endsWith(TRUNCATED_MARKER)).toBe(true);
  });

  it('a template that leaves its values no room is a startup error', async () => {
    const receiver = await startReceiver();
    const error = await rejection(
      webhook({ endpoint: receiver.url, template: SIXTY, max_body_bytes: 1024 }),
    );
    expect(error.message).toMatch(
      /leaves no room for its 60 values within max_body_bytes \(1024\): raise max_body_bytes or use fewer tags/,
    );
  });
});
