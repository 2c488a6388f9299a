import { type KubeEvent, normalizeEvent, type Sink } from '@keventer/core';
import {
  buildEvent,
  FakeKubeApiServer,
  FakeWebhookReceiver,
  type FakeWebhookReceiverOptions,
} from '@keventer/testing';
import { afterEach } from 'vitest';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export async function startReceiver(
  options: FakeWebhookReceiverOptions = {},
): Promise<FakeWebhookReceiver> {
  const receiver = await FakeWebhookReceiver.start(options);
  onCleanup(() => receiver.close());
  return receiver;
}

export async function startApiServer(): Promise<FakeKubeApiServer> {
  const server = await FakeKubeApiServer.start();
  onCleanup(() => server.close());
  return server;
}

/** Closes the sink after the test. */
export function track<S extends Sink>(sink: S): S {
  onCleanup(() => sink.close?.());
  return sink;
}

export const AT = new Date('2024-05-01T10:05:00Z');

/** A normalized event: a Pod BackOff warning in `shop` unless `partial` says otherwise. */
export function kubeEvent(partial: Parameters<typeof buildEvent>[0] = {}): KubeEvent {
  return normalizeEvent(
    buildEvent(
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        ...partial,
        involvedObject: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'web-1',
          ...partial.involvedObject,
        },
      },
      { at: AT },
    ),
  );
}

export function write(sink: Sink, events: readonly KubeEvent[]): Promise<void> {
  return sink.write(events, { signal: AbortSignal.timeout(10_000) });
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

/** Resolves once `check()` holds, polling every 20 ms; fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
