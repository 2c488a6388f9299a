import { compileTemplate, isDigest, type KubeEvent, normalizeEvent } from '@keventer/core';
import { eventTemplateRoots, permanentError } from '@keventer/core/kit';
import { DEFAULT_MAX_BODY_BYTES, describe, renderBodyWithin, valueShare } from './body-limit.js';
import { SINK_NAME } from './options.js';

/** Renders one event as the JSON text of its body. */
export type BodyRenderer = (event: KubeEvent) => string;

/** How a batch is put in a request: one event per request, a JSON array, or NDJSON lines. */
export type BodyFormat = 'event' | 'json_array' | 'ndjson';

/**
 * kube-eventer's default body with the same keys, built with JSON.stringify:
 * kube-eventer's Go template stripped `"` from messages and broke on
 * backslashes and newlines. A digest adds `EventDigest`.
 */
export function defaultBody(event: KubeEvent): string {
  const body: Record<string, unknown> = {
    EventType: event.type,
    EventKind: event.involvedObject.kind,
    EventReason: event.reason,
    EventTime: event.lastTimestamp || event.firstTimestamp,
    EventMessage: event.message,
  };
  if (isDigest(event)) {
    const { digest } = event;
    body.EventDigest = {
      Count: digest.count,
      FirstTime: digest.firstTimestamp,
      LastTime: digest.lastTimestamp,
      Objects: digest.objects,
      MoreObjects: digest.moreObjects,
      LastMessage: digest.last.message,
    };
  }
  return JSON.stringify(body);
}

// Fields a template may use, with text that breaks naive JSON (quotes,
// backslash, newline, CJK, emoji): a template that puts a tag outside a
// string literal fails on it at load time rather than on a real event.
const SAMPLE = normalizeEvent({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17a', namespace: 'shop', uid: 'u-1', resourceVersion: '1' },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', apiVersion: 'v1' },
  reason: 'BackOff',
  message: 'Back-off restarting "app" \\ at 1\n中文 🚀',
  type: 'Warning',
  source: { component: 'kubelet', host: 'node-1' },
  count: 2,
  firstTimestamp: '2024-05-01T10:00:00Z',
  lastTimestamp: '2024-05-01T10:05:00Z',
});

/**
 * Compiles a body template (kube-eventer's Go-template field names work, values
 * are JSON-escaped) and checks that it renders valid JSON; throws otherwise.
 * Bodies stay within `maxBytes` (values cut alike when needed).
 */
export function compileBodyTemplate(
  source: string,
  name: string,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): BodyRenderer {
  const template = compileTemplate(source, { escape: 'json', name });
  const share = valueShare(template, name, maxBytes);
  const raw = (event: KubeEvent) =>
    renderBodyWithin(template, eventTemplateRoots(event), maxBytes, share);
  try {
    JSON.parse(raw(SAMPLE));
  } catch (error) {
    throw new Error(
      `template ${name} does not render valid JSON (${(error as Error).message}); put tags inside string literals: "{{ .Message }}"`,
    );
  }
  return (event) => checkedJson(raw(event), event);
}

/** The request body for `events` in `format`. */
export function batchBody(
  events: readonly KubeEvent[],
  render: BodyRenderer,
  format: BodyFormat,
): string {
  const bodies = events.map(render);
  if (format === 'json_array') return `[${bodies.join(',')}]`;
  if (format === 'ndjson') return `${bodies.map(oneLine).join('\n')}\n`;
  return bodies[0] ?? '';
}

// NDJSON needs each body on one line; only a template spreads one over several.
function oneLine(json: string): string {
  return /[\r\n]/.test(json) ? JSON.stringify(JSON.parse(json)) : json;
}

/** Content-Type of a body format. */
export function contentType(format: BodyFormat): string {
  return format === 'ndjson' ? 'application/x-ndjson' : 'application/json; charset=utf-8';
}

// A template can still render invalid JSON for one event (an empty number):
// a permanent failure, no retry fixes that. (The default body is JSON.stringify's.)
function checkedJson(text: string, event: KubeEvent): string {
  try {
    JSON.parse(text);
  } catch (error) {
    throw permanentError(
      SINK_NAME,
      `the body template rendered invalid JSON for ${describe(event)}: ${(error as Error).message}`,
    );
  }
  return text;
}
