import type { KubeEvent, Sink } from '@keventer/core';
import { normalizeEvent } from '@keventer/core';
import { buildEvent, FakeWeComServer, type FakeWeComServerOptions } from '@keventer/testing';
import { afterEach } from 'vitest';

const fakes: FakeWeComServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** A FakeWeComServer closed after the test. */
export async function startFake(options: FakeWeComServerOptions = {}): Promise<FakeWeComServer> {
  const fake = await FakeWeComServer.start(options);
  fakes.push(fake);
  return fake;
}

export const AT = new Date('2025-03-04T05:06:07Z');

/** A Warning BackOff about Pod shop/web-1 at {@link AT}; `message` and the object can be changed. */
export function backOff(
  message = 'Back-off restarting failed container',
  name = 'web-1',
): KubeEvent {
  return normalizeEvent(
    buildEvent(
      {
        type: 'Warning',
        reason: 'BackOff',
        message,
        involvedObject: { kind: 'Pod', namespace: 'shop', name },
      },
      { at: AT },
    ),
  );
}

export const write = (sink: Sink, ...events: KubeEvent[]) =>
  sink.write(events, { signal: AbortSignal.timeout(10_000) });

/** The rejection of a write that must fail. */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the write to fail');
}
