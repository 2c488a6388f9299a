import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeEvent } from '../src/event/model.js';
import { consoleSink } from '../src/sink/builtin/console.js';
import { logSink } from '../src/sink/builtin/log.js';
import { type KubeEventInit, kubeEvent } from './support/kube-event.js';

// A BackOff warning by default.
const makeEvent = (init: KubeEventInit = {}): KubeEvent =>
  kubeEvent({
    uid: 'ev-uid-1',
    resourceVersion: '100',
    name: 'web-7d4b9c-x2x1z.17a0',
    reportingInstance: 'node-1',
    host: 'node-1',
    count: 5,
    firstTimestamp: '2026-01-01T11:58:00Z',
    lastTimestamp: '2026-01-01T12:00:01Z',
    ...init,
    involvedObject: {
      namespace: 'shop',
      name: 'web-7d4b9c-x2x1z',
      uid: 'pod-uid-1',
      fieldPath: 'spec.containers{web}',
      ...init.involvedObject,
    },
  });

const nodeReady = makeEvent({
  namespace: 'default',
  type: 'Normal',
  reason: 'NodeReady',
  message: 'Node node-1 status is now: NodeReady',
  involvedObject: { kind: 'Node', namespace: '', name: 'node-1' },
  count: 1,
  lastTimestamp: '2026-01-01T12:00:02Z',
});

const ctx = () => ({ signal: new AbortController().signal });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('log sink', () => {
  it("logs one message per batch in kube-eventer's layout", async () => {
    const logger = vi.fn();
    const sink = await logSink({ logger });
    await sink.write([makeEvent(), nodeReady], ctx());
    expect(logger).toHaveBeenCalledTimes(1);
    const lines = String(logger.mock.calls[0]?.[0]).split('\n');
    expect(lines[0]).toMatch(/^EventBatch {5}Timestamp: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.slice(1)).toEqual([
      '   Warning BackOff Pod shop/web-7d4b9c-x2x1z   2026-01-01T12:00:01Z (cnt:5): Back-off restarting failed container',
      '   Normal NodeReady Node node-1   2026-01-01T12:00:02Z (cnt:1): Node node-1 status is now: NodeReady',
    ]);
  });

  it("accepts a logger object (core's Logger, pino) and calls info()", async () => {
    const info = vi.fn();
    const sink = await logSink({ logger: { info } });
    await sink.write([makeEvent()], ctx());
    expect(info).toHaveBeenCalledTimes(1);
    expect(String(info.mock.calls[0]?.[0])).toMatch(/^EventBatch/);
  });

  it('writes nothing for an empty batch', async () => {
    const logger = vi.fn();
    await (await logSink({ logger })).write([], ctx());
    expect(logger).not.toHaveBeenCalled();
  });

  it('uses console.log by default, and is created from the URI `log`', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    const sink = await logSink.fromUri('log', { env: {} });
    await sink.write([makeEvent()], ctx());
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]?.[0])).toContain(
      '(cnt:5): Back-off restarting failed container',
    );
  });

  it('keeps one line per event: newlines folded, terminal escapes neutralised', async () => {
    const logger = vi.fn();
    const sink = await logSink({ logger });
    await sink.write([makeEvent({ message: 'line one\n  line two\x1b[2J' })], ctx());
    const text = String(logger.mock.calls[0]?.[0]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('line one line two?[2J');
    expect(text).not.toContain('\x1b');
  });

  it('refuses a logger given in a URI', async () => {
    await expect(logSink.fromUri('log:?logger=console', { env: {} })).rejects.toThrow(
      'it can only be set in code, not in a URI',
    );
  });
});

function captureStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } };
}

describe('console sink', () => {
  it('prints one aligned line per event', async () => {
    const { chunks, stream } = captureStream(false);
    const sink = await consoleSink({ stream, time: 'utc' }, { env: {} });
    await sink.write(
      [makeEvent(), nodeReady, makeEvent({ reason: 'FailedCreatePodSandBox', count: 2 })],
      ctx(),
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(
      [
        '12:00:01 Warning  BackOff           Pod shop/web-7d4b9c-x2x1z  Back-off restarting failed container (x5)',
        '12:00:02 Normal   NodeReady         Node node-1  Node node-1 status is now: NodeReady',
        '12:00:01 Warning  FailedCreatePodSandBox Pod shop/web-7d4b9c-x2x1z  Back-off restarting failed container (x2)',
        '',
      ].join('\n'),
    );
  });

  it('shows local time by default and placeholders for a missing time', async () => {
    const { chunks, stream } = captureStream(false);
    const sink = await consoleSink({ stream }, { env: {} });
    await sink.write([makeEvent(), makeEvent({ lastTimestamp: '', firstTimestamp: '' })], ctx());
    const at = new Date('2026-01-01T12:00:01Z');
    const local = [at.getHours(), at.getMinutes(), at.getSeconds()]
      .map((n) => String(n).padStart(2, '0'))
      .join(':');
    const [first, second] = (chunks[0] ?? '').split('\n');
    expect(first?.startsWith(`${local} Warning`)).toBe(true);
    expect(second?.startsWith('--:--:-- Warning')).toBe(true);
  });

  it.each([
    { color: 'auto', isTTY: true, env: {}, coloured: true },
    { color: 'auto', isTTY: false, env: {}, coloured: false },
    { color: 'auto', isTTY: true, env: { NO_COLOR: '1' }, coloured: false },
    { color: 'never', isTTY: true, env: {}, coloured: false },
    { color: 'always', isTTY: false, env: { NO_COLOR: '1' }, coloured: true },
  ] as const)(
    'color=$color on a TTY=$isTTY with $env -> coloured=$coloured',
    async ({ color, isTTY, env, coloured }) => {
      const { chunks, stream } = captureStream(isTTY);
      const sink = await consoleSink({ stream, color, time: 'utc' }, { env });
      await sink.write([makeEvent()], ctx());
      const text = chunks[0] ?? '';
      expect(text.includes('\x1b[33mWarning ')).toBe(coloured);
      // Colour never moves the columns.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
      expect(text.replace(/\x1b\[\d+m/g, '')).toBe(
        '12:00:01 Warning  BackOff           Pod shop/web-7d4b9c-x2x1z  Back-off restarting failed container (x5)\n',
      );
    },
  );

  it('waits for drain when the stream is full, and stops waiting on abort', async () => {
    const stream = Object.assign(new EventEmitter(), { write: () => false, isTTY: false });
    const sink = await consoleSink({ stream }, { env: {} });
    let done = false;
    const pending = sink.write([makeEvent()], ctx()).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    stream.emit('drain');
    await pending;
    expect(done).toBe(true);

    const controller = new AbortController();
    const aborted = sink.write([makeEvent()], { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
  });

  it('is created from a URI with its options', async () => {
    const sink = await consoleSink.fromUri('console:?color=never&time=utc', { env: {} });
    expect(sink.name).toBe('console');
    await expect(consoleSink.fromUri('console:?time=UTC', { env: {} })).rejects.toThrow(
      "did you mean 'utc'?",
    );
  });
});
