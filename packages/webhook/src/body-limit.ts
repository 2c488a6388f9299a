import {
  isDigest,
  type KubeEvent,
  permanentError,
  type Template,
  TRUNCATED_MARKER,
} from '@keventer/core/kit';
import { SINK_NAME } from './options.js';

/** `max_body_bytes`' default: nginx's default client_max_body_size. */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

// A UTF-16 unit takes at most 6 bytes in a JSON string (`\u001f`); the
// marker after a cut value takes 16 (`\n…(truncated)`, escaped).
const MAX_JSON_BYTES_PER_UNIT = 6;
const MARKER_JSON_BYTES = Buffer.byteLength(JSON.stringify(TRUNCATED_MARKER)) - 2;

export const fitsIn = (text: string, maxBytes: number): boolean =>
  text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes;

/**
 * How long each value of `template` may be so that its body, every value cut
 * alike, fits `maxBytes` whatever the values hold; throws (a startup error)
 * when the template leaves no room for its values.
 */
export function valueShare(template: Template, name: string, maxBytes: number): number {
  const frame = Buffer.byteLength(template.renderWithin(Number.POSITIVE_INFINITY, []).text);
  const room = maxBytes - frame;
  const share =
    template.tags === 0
      ? Number.POSITIVE_INFINITY
      : Math.floor((room / template.tags - MARKER_JSON_BYTES) / MAX_JSON_BYTES_PER_UNIT);
  if (room < 0 || share < 1) {
    throw new Error(
      `template ${name} leaves no room for its ${template.tags} values within max_body_bytes (${maxBytes}): raise max_body_bytes or use fewer tags`,
    );
  }
  return share;
}

/**
 * Renders a body template within `maxBytes`: as it is when it fits (rendering
 * stops past the limit, so a huge message repeated costs the limit only), else
 * with every value cut to `share` units and marked, so the body stays JSON.
 */
export function renderBodyWithin(
  template: Template,
  event: readonly unknown[],
  maxBytes: number,
  share: number,
): string {
  const first = template.renderWithin(maxBytes, event);
  if (!first.cut && fitsIn(first.text, maxBytes)) return first.text;
  return template.renderWithin(maxBytes, event, { maxValueLength: share }).text;
}

/**
 * kube-eventer's default body within `maxBytes`: when the message makes it too
 * big, the message (and a digest's last message) is cut to fit, marked.
 */
export function defaultBodyWithin(
  body: (event: KubeEvent) => string,
  maxBytes: number,
): (event: KubeEvent) => string {
  return (event) => {
    const whole = body(event);
    if (fitsIn(whole, maxBytes)) return whole;
    const messages = isDigest(event) ? 2 : 1;
    const room = maxBytes - Buffer.byteLength(body(withMessages(event, () => '')));
    const share = Math.floor((room / messages - MARKER_JSON_BYTES) / MAX_JSON_BYTES_PER_UNIT);
    const cut = (message: string) =>
      message.length > share ? cutUnits(message, share) + TRUNCATED_MARKER : message;
    const fitted = share < 1 ? undefined : body(withMessages(event, cut));
    if (fitted === undefined || !fitsIn(fitted, maxBytes)) {
      throw permanentError(
        SINK_NAME,
        `the body of ${describe(event)} does not fit max_body_bytes (${maxBytes}) even with its message cut`,
      );
    }
    return fitted;
  };
}

function withMessages(event: KubeEvent, cut: (message: string) => string): KubeEvent {
  const message = cut(event.message);
  if (!isDigest(event)) return { ...event, message };
  const last = { ...event.digest.last, message: cut(event.digest.last.message) };
  return { ...event, message, digest: { ...event.digest, last } } as KubeEvent;
}

function cutUnits(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

export function describe(event: KubeEvent): string {
  return `${event.involvedObject.kind} ${event.namespace}/${event.involvedObject.name} ${event.reason}`;
}
