import { describe, expect, it } from 'vitest';
import { createForwarder, type ForwarderOptions } from '../src/delivery/forwarder.js';
import type { Sink } from '../src/sink/contract/sink.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { kubeEventerFilterOptions } from '../src/sink/options/kube-eventer-options.js';
import { option } from '../src/sink/options/options.js';
import { unregisterSink } from '../src/sink/uri/registry.js';
import { EventStream } from '../src/stream/event-stream.js';
import { kubeEvent } from './support/kube-event.js';

const noopSink = (name: string): Sink => ({ name, async write() {} });

describe('defineSink completes the sink', () => {
  it("filters by kube-eventer's options when the schema spreads them: the sink does nothing", async () => {
    const definition = defineSink({
      scheme: 'parts-filter',
      description: 'Declares the filter options only.',
      options: { ...kubeEventerFilterOptions },
      create: () => noopSink('parts-filter'),
    });
    try {
      const warnings = await definition();
      expect(warnings.filter?.(kubeEvent({ type: 'Normal' }))).toBe(false);
      expect(warnings.filter?.(kubeEvent({ type: 'Warning' }))).toBe(true);
      const kinds = await definition({ level: 'Normal', kinds: ['Node'] });
      expect(kinds.filter?.(kubeEvent({ type: 'Normal' }))).toBe(false);
      const node = { kind: 'Node', name: 'n1', namespace: '' };
      expect(kinds.filter?.(kubeEvent({ type: 'Normal', involvedObject: node }))).toBe(true);
    } finally {
      unregisterSink('parts-filter');
    }
  });

  it("keeps the sink's own filter too", async () => {
    const definition = defineSink({
      scheme: 'parts-own-filter',
      description: 'Has a filter of its own as well.',
      options: { ...kubeEventerFilterOptions },
      create: (): Sink => ({ ...noopSink('parts-own-filter'), filter: (e) => e.reason !== 'Skip' }),
    });
    try {
      const sink = await definition();
      expect(sink.filter?.(kubeEvent({ type: 'Warning', reason: 'Skip' }))).toBe(false);
      expect(sink.filter?.(kubeEvent({ type: 'Warning', reason: 'BackOff' }))).toBe(true);
      expect(sink.filter?.(kubeEvent({ type: 'Normal', reason: 'BackOff' }))).toBe(false);
    } finally {
      unregisterSink('parts-own-filter');
    }
  });

  it('a schema of its own level option gets no kube-eventer filter', async () => {
    const definition = defineSink({
      scheme: 'parts-own-level',
      description: 'Its own level option.',
      options: { level: option.string({ description: 'Not kube-eventer’s.' }) },
      create: () => noopSink('parts-own-level'),
    });
    try {
      expect((await definition({ level: 'x' })).filter).toBeUndefined();
    } finally {
      unregisterSink('parts-own-level');
    }
  });

  it('delivery settings come by one path: the definition (deliveryFor) and the URI, on sink.delivery', async () => {
    const definition = defineSink({
      scheme: 'parts-delivery',
      description: 'Defaults by option.',
      options: { bulk: option.boolean({ description: 'Batch bodies.', default: false }) },
      delivery: { batch: { maxEvents: 1 } },
      deliveryFor: (options) => ({ batch: { maxEvents: options.bulk ? 100 : 1 } }),
      create: () => noopSink('parts-delivery'),
    });
    try {
      expect(definition.delivery).toEqual({ batch: { maxEvents: 1 } });
      const sink = await definition.fromUri('parts-delivery:?bulk=true&batch.timeoutMs=5');
      expect(sink.delivery).toEqual({
        defaults: { batch: { maxEvents: 100 } },
        uri: { 'batch.timeoutMs': '5' },
      });
    } finally {
      unregisterSink('parts-delivery');
    }
  });

  it('refuses a sink that brings its own delivery settings', async () => {
    const definition = defineSink({
      scheme: 'parts-own-delivery',
      description: 'Sets delivery itself.',
      options: {},
      create: (): Sink => ({
        ...noopSink('x'),
        delivery: { defaults: { batch: { maxEvents: 3 } } },
      }),
    });
    try {
      await expect(definition()).rejects.toThrow(/declare the defaults in the definition/);
    } finally {
      unregisterSink('parts-own-delivery');
    }
  });

  it('a route takes no uriDelivery or sinkDefaults: they come with the sink', () => {
    const stream = new EventStream({ kubeConfig: 'unused', ack: 'manual' });
    const route = { sink: noopSink('r'), uriDelivery: {}, sinkDefaults: {} };
    expect(() =>
      createForwarder({ stream, routes: [route] } as unknown as ForwarderOptions),
    ).toThrow(/routes\[0\]\.uriDelivery: unknown option[\s\S]*routes\[0\]\.sinkDefaults: unknown/);
  });
});
