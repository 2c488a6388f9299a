import { type KubeEvent, normalizeEvent } from '@keventer/core';
import { type BuildOptions, buildEvent } from './builders.js';

/** Options of {@link podEvent}; `at` defaults to 2026-01-02T03:04:05Z. */
export interface PodEventOptions extends BuildOptions {
  /** @default 'shop' */
  namespace?: string;
  /** @default 'Warning' */
  type?: string;
  /** @default 'BackOff' */
  reason?: string;
  /** @default 'Back-off restarting failed container' */
  message?: string;
}

const AT = '2026-01-02T03:04:05Z';

/**
 * A normalized event (as sinks receive it) about Pod `namespace/name`: a
 * Warning BackOff in `shop` at a fixed time unless `options` says otherwise,
 * so what a sink renders from it is known in advance.
 */
export function podEvent(name: string, options: PodEventOptions = {}): KubeEvent {
  return normalizeEvent(
    buildEvent(
      {
        type: options.type ?? 'Warning',
        reason: options.reason ?? 'BackOff',
        message: options.message ?? 'Back-off restarting failed container',
        involvedObject: { kind: 'Pod', namespace: options.namespace ?? 'shop', name },
      },
      { at: options.at ?? new Date(AT) },
    ),
  );
}

/**
 * kube-eventer's text layout of an event (no digest), as the chat sinks write
 * it after their labels: `Level`, `Kind`, `Namespace`, `Name`, `Reason`,
 * `Timestamp`, `Message`, one `Name: value` line each.
 */
export function kubeEventerLines(event: KubeEvent): string {
  const { kind, namespace, name } = event.involvedObject;
  return [
    `Level: ${event.type}`,
    `Kind: ${kind}`,
    `Namespace: ${namespace || event.namespace}`,
    `Name: ${name}`,
    `Reason: ${event.reason}`,
    `Timestamp: ${event.lastTimestamp || event.firstTimestamp}`,
    `Message: ${event.message}`,
  ].join('\n');
}
