import {
  type DigestEvent,
  isSinkError,
  type KubeEvent,
  normalizeEvent,
  type Sink,
  type SinkError,
} from '@keventer/core';
import {
  type BuildOptions,
  buildEvent,
  digestOf,
  FakeDingTalkServer,
  type FakeDingTalkServerOptions,
} from '@keventer/testing';
import { afterEach, expect } from 'vitest';

const servers: FakeDingTalkServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A fake DingTalk closed after the test. */
export async function fakeDingTalk(options: FakeDingTalkServerOptions = {}) {
  const server = await FakeDingTalkServer.start(options);
  servers.push(server);
  return server;
}

export const AT = new Date('2026-03-01T08:30:00Z');

/** A normalized Warning BackOff about Pod shop/web-1 (fields overridable). */
export function warning(
  partial: Parameters<typeof buildEvent>[0] = {},
  options: BuildOptions = { at: AT },
): KubeEvent {
  return normalizeEvent(
    buildEvent(
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container app in pod web-1',
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
        ...partial,
      },
      options,
    ),
  );
}

/** A digest of `count` more BackOffs of the web Deployment's pods. */
export function digest(count: number): DigestEvent {
  const first = warning({
    message: 'Back-off restarting failed container app in pod web-7d4b9-x2x1z',
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-7d4b9-x2x1z' },
  });
  const last = warning(
    { message: 'Back-off restarting failed container app (again)' },
    { at: new Date(AT.getTime() + 240_000) },
  );
  const objects = ['Pod shop/web-7d4b9-x2x1z', 'Pod shop/web-7d4b9-q8k2m'];
  return digestOf(first, { count, last, objects });
}

export const write = (sink: Sink, batch: readonly KubeEvent[]) =>
  sink.write(batch, { signal: AbortSignal.timeout(10_000) });

/** Writes and returns the SinkError the write must fail with. */
export async function failedWrite(sink: Sink, batch: readonly KubeEvent[]): Promise<SinkError> {
  const error: unknown = await write(sink, batch).then(
    () => expect.fail('the write was expected to fail'),
    (err: unknown) => err,
  );
  expect(isSinkError(error), String(error)).toBe(true);
  return error as SinkError;
}
