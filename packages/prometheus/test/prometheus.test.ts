import { type Sink, serveHealth } from '@keventer/core';
import { permanentError } from '@keventer/core/kit';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerForwarderMetrics } from '../src/index.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A forwarder with two routes, 'ok' (retries once) and 'broken' (always 400), that has seen 3 events. */
async function forwarderWithTraffic() {
  let calls = 0;
  const ok: Sink = {
    name: 'webhook',
    async write() {
      if (++calls === 1) throw Object.assign(new Error('503'), { retryable: true });
    },
  };
  const broken: Sink = {
    name: 'elasticsearch',
    async write() {
      throw permanentError('elasticsearch', 'HTTP 400 mapping');
    },
  };
  const fast = { batch: { maxEvents: 10, timeoutMs: 5 }, request: { retryInitialBackoffMs: 5 } };
  const { api, forwarder } = await startForwarding(
    [
      { name: 'ok', sink: ok, delivery: fast },
      { name: 'broken', sink: broken, delivery: fast },
    ],
    { registerCleanup: (stop) => cleanups.push(stop) },
  );
  for (const name of ['a', 'b', 'c']) {
    api.createEvent(
      buildEvent({ involvedObject: { kind: 'Pod', namespace: 'secret-ns', name: `pod-${name}` } }),
    );
  }
  await waitFor(() =>
    forwarder.metrics().routes.every((route) => route.sent + route.deadLettered === 3),
  );
  return forwarder;
}

describe('registerForwarderMetrics', () => {
  it('exposes counters, gauges and histograms per route and sink on /metrics', async () => {
    const forwarder = await forwarderWithTraffic();
    const registry = registerForwarderMetrics(forwarder);
    const server = await serveHealth(forwarder.health, {
      port: 0,
      host: '127.0.0.1',
      metrics: () => registry.metrics(),
    });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const body = await (await fetch(`${server.url}/metrics`)).text();
    const lines = new Set(body.split('\n'));
    for (const line of [
      'keventer_events_received_total{route="ok",sink="webhook"} 3',
      'keventer_events_sent_total{route="ok",sink="webhook"} 3',
      'keventer_send_retries_total{route="ok",sink="webhook"} 1',
      'keventer_events_failed_total{route="broken",sink="elasticsearch",reason="permanent"} 3',
      'keventer_events_failed_total{route="ok",sink="webhook",reason="permanent"} 0',
      'keventer_events_dropped_total{route="ok",sink="webhook",reason="dropNewest"} 0',
      'keventer_queue_depth{route="ok",sink="webhook"} 0',
      'keventer_event_lag_seconds_count{route="ok",sink="webhook"} 3',
      'keventer_event_lag_seconds_bucket{route="ok",sink="webhook",le="+Inf"} 3',
      'keventer_stream_phase{phase="watching"} 1',
      'keventer_stream_phase{phase="backoff"} 0',
      'keventer_stream_ready 1',
      'keventer_stream_events_emitted_total 3',
      'keventer_unacknowledged_events 0',
      '# TYPE keventer_event_lag_seconds histogram',
      '# TYPE keventer_events_sent_total counter',
      '# TYPE keventer_queue_depth gauge',
    ]) {
      expect(lines, line).toContain(line);
    }
    // Every attempt: the failed first one and one per batch (the events may come in one or more).
    const attempts = body.match(
      /keventer_send_duration_seconds_count\{route="ok",sink="webhook"\} (\d+)/,
    );
    expect(Number(attempts?.[1])).toBe(forwarder.metrics().routes[0]?.sendDuration.count);
    expect(Number(attempts?.[1])).toBeGreaterThanOrEqual(2);
    // Buckets are cumulative and in seconds.
    expect(body).toMatch(
      /keventer_send_duration_seconds_bucket\{route="ok",sink="webhook",le="0\.001"\} \d/,
    );
    // Bounded labels: no object or namespace of an event ever becomes a label.
    expect(body).not.toContain('secret-ns');
    expect(body).not.toContain('pod-a');
    // The JSON form carries the same histogram.
    const json = await registry.getMetricsAsJSON();
    const lag = json.find((m) => m.name === 'keventer_event_lag_seconds');
    expect(
      lag?.values.find(
        (v) =>
          (v as { metricName?: string }).metricName === 'keventer_event_lag_seconds_count' &&
          v.labels.route === 'ok',
      )?.value,
    ).toBe(3);
  });

  it('counters stay right over repeated scrapes and can share a registry under a prefix', async () => {
    const forwarder = await forwarderWithTraffic();
    const registry = new Registry();
    registerForwarderMetrics(forwarder, { registry, prefix: 'eventer_' });
    const first = await registry.metrics();
    const second = await registry.metrics();
    expect(second).toBe(first);
    expect(first).toContain('eventer_events_sent_total{route="ok",sink="webhook"} 3');
    expect(() => registerForwarderMetrics(forwarder, { registry, prefix: 'eventer_' })).toThrow(
      /already been registered/,
    );
  });
});
