import { allOf, type EventFilter } from '../../filter/combinators.js';
import { filterFromKubeEventerOptions } from '../../filter/kube-eventer.js';
import { sinkMessage } from '../contract/errors.js';
import type { Sink, SinkDeliveryHints } from '../contract/sink.js';
import { kubeEventerFilterOptions } from '../options/kube-eventer-options.js';
import type { OptionSchema } from '../options/options.js';

/**
 * The filter a schema's options declare: kube-eventer's `level`,
 * `namespaces` and `kinds` when the schema spreads `kubeEventerFilterOptions`.
 */
export function declaredFilter(
  schema: OptionSchema,
  options: Readonly<Record<string, unknown>>,
): EventFilter | undefined {
  const declared = Object.entries(kubeEventerFilterOptions).every(
    ([name, option]) => schema[name] === option,
  );
  return declared ? filterFromKubeEventerOptions(options) : undefined;
}

/**
 * Gives a created sink what its definition declares: the filter of its
 * options (with the sink's own, if any) and its delivery settings, the
 * definition's defaults and the URI's keys. This is the only place a sink's
 * delivery settings are set: a sink that brings its own is refused.
 */
export function completeSink(
  scheme: string,
  sink: Sink,
  parts: { readonly filter: EventFilter | undefined; readonly delivery: SinkDeliveryHints },
): Sink {
  if (sink.delivery !== undefined) {
    throw new TypeError(
      sinkMessage(
        scheme,
        'create() returned a sink with its own `delivery`: declare the defaults in the definition (`delivery`, or `deliveryFor(options)`); the URI keys are added by defineSink',
      ),
    );
  }
  const own = sink.filter;
  const filter = parts.filter && own ? allOf(parts.filter, own) : (parts.filter ?? own);
  const added = { delivery: parts.delivery, ...(filter ? { filter } : {}) };
  // In place, so a class instance keeps its private fields and getters.
  if (Object.isExtensible(sink)) {
    try {
      return Object.assign(sink, added);
    } catch {
      // A read-only `filter`: fall through to a wrapper.
    }
  }
  return Object.assign(Object.create(sink) as Sink, added);
}
