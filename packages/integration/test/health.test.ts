import { FakeHttpReceiver } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../core/src/delivery/forwarder.js';
import { serveHealth } from '../../core/src/delivery/health-server.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import { httpSink } from './support/http-sink.js';
import { buildEvent, kubeconfigFor, startServer } from './support/stream-harness.js';
import { until } from './support/until.js';

const stops: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function forwarderWith(options: { receiverAnswer?: { status: number } } = {}) {
  const server = await startServer();
  const receiver = await FakeHttpReceiver.start(options.receiverAnswer ?? { status: 200 });
  stops.push(() => receiver.close());
  const stream = new EventStream({
    kubeConfig: await kubeconfigFor(server),
    ack: 'manual',
    backoff: { initialMs: 20, maxMs: 50 },
  });
  const forwarder = createForwarder({
    stream,
    drainTimeoutMs: 200,
    health: { streamDownMs: 200, sinkFailingMs: 200 },
    routes: [
      {
        name: 'hook',
        sink: httpSink('hook', receiver),
        delivery: { batch: { maxEvents: 1 }, request: { retryInitialBackoffMs: 10 } },
      },
    ],
  });
  const running = forwarder.run();
  stops.push(async () => {
    forwarder.stop();
    await running;
  });
  return { server, stream, forwarder };
}

describe('forwarder health', () => {
  it('is not ready before the first list, then ready and healthy', async () => {
    const { stream, forwarder } = await forwarderWith();
    expect(forwarder.health()).toMatchObject({
      ready: false,
      problems: ['the first list of events has not completed yet'],
    });
    await until(() => stream.state.phase === 'watching');
    expect(forwarder.health()).toEqual({ ready: true, healthy: true, problems: [] });
  });

  it('turns unhealthy when the watch stays down, and healthy again when it is back', async () => {
    const { server, stream, forwarder } = await forwarderWith();
    await until(() => stream.state.phase === 'watching');
    server.faults.failRequests({ status: 500, times: 1000, kind: 'watch' });
    server.faults.dropConnections();
    await until(() => !forwarder.health().healthy, 3000);
    expect(forwarder.health().problems[0]).toMatch(
      /the event watch has not been up for \d+ ms \(backoff|connecting/,
    );
    server.faults.failRequests({ status: 500, times: 0, kind: 'watch' });
    server.faults.reset();
    await until(() => forwarder.health().healthy, 3000);
  });

  it('turns unhealthy when a sink keeps failing', async () => {
    const { server, stream, forwarder } = await forwarderWith({ receiverAnswer: { status: 503 } });
    await until(() => stream.state.phase === 'watching');
    server.createEvent(buildEvent());
    await until(() => !forwarder.health().healthy, 3000);
    expect(forwarder.health().problems).toEqual([
      expect.stringMatching(/^route hook: every delivery has failed for \d+ ms$/),
    ]);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const { stream, forwarder } = await forwarderWith();
    const http = await serveHealth(() => forwarder.health(), {
      port: 0,
      host: '127.0.0.1',
      metrics: () => 'keventer_up 1\n',
    });
    stops.push(() => new Promise((resolve) => http.close(resolve)));
    await until(() => stream.state.phase === 'watching');
    const healthz = await fetch(`${http.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ ok: true, ready: true, healthy: true, problems: [] });
    expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${http.url}/metrics`)).text()).toBe('keventer_up 1\n');
    expect((await fetch(`${http.url}/nope`)).status).toBe(404);
  });
});
