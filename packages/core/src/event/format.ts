import type { KubeEvent } from './model.js';

/**
 * One printable line: newlines folded to spaces and other control characters
 * (terminal escapes arriving in event messages) shown as '?'.
 */
export function oneLine(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s*[\r\n]+\s*/g, ' ')) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? (ch === '\t' ? ' ' : '?') : ch;
  }
  return out;
}

/** `Pod shop/web-7d4b9c-x2x1z`, or `Node node-1` for cluster-scoped objects. */
export function objectRef(event: KubeEvent): string {
  const { kind, namespace, name } = event.involvedObject;
  const path = namespace ? `${namespace}/${name}` : name;
  return oneLine(kind ? `${kind} ${path}` : path);
}

/** When the event last happened, for display: lastTimestamp, else firstTimestamp. */
export function eventTime(event: KubeEvent): string {
  return event.lastTimestamp || event.firstTimestamp;
}
