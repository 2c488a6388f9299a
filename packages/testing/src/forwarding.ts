import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createForwarder,
  EventStream,
  type EventStreamOptions,
  type Forwarder,
  type ForwarderOptions,
  type ForwarderReport,
  type RouteOptions,
} from '@keventer/core';
import { FakeKubeApiServer, type FakeKubeApiServerOptions } from './fake-api-server/server.js';

/** Options of {@link startForwarding}: the forwarder's own, plus the server's and the stream's. */
export type StartForwardingOptions = Omit<ForwarderOptions, 'stream' | 'routes'> & {
  /** Options of the {@link FakeKubeApiServer} it starts. */
  api?: FakeKubeApiServerOptions;
  /** Options of the EventStream, which always reads the fake server with `ack: 'manual'`. */
  stream?: Omit<EventStreamOptions, 'kubeConfig' | 'ack'>;
  /**
   * Given a function that stops everything (`stop()` without the report), so
   * a failing test cleans up too: pass vitest's `onTestFinished`, or push it
   * to what your `afterEach` runs.
   */
  registerCleanup?: (cleanup: () => Promise<void>) => void;
};

/** The fake cluster, for routes whose sinks read it too (a kubeconfig file path). */
export interface ForwardingCluster {
  readonly api: FakeKubeApiServer;
  readonly kubeConfig: string;
}

/** The routes of {@link startForwarding}, or a function that makes them once the server runs. */
export type ForwardingRoutes =
  | readonly RouteOptions[]
  | ((cluster: ForwardingCluster) => readonly RouteOptions[] | Promise<readonly RouteOptions[]>);

/** A running forwarder that watches a fake API server, from {@link startForwarding}. */
export interface Forwarding {
  /** The fake API server the stream watches: create events on it. */
  readonly api: FakeKubeApiServer;
  readonly stream: EventStream;
  readonly forwarder: Forwarder;
  /**
   * Stops the forwarder and resolves to its report once it has drained; then
   * closes the server and removes the kubeconfig. Calling it again is harmless.
   */
  stop(): Promise<ForwarderReport>;
}

/** How long {@link startForwarding} waits for the stream to be watching. */
const WATCHING_TIMEOUT_MS = 10_000;

/**
 * Starts a {@link FakeKubeApiServer}, writes its kubeconfig to a temp dir, and
 * runs a forwarder with `routes` on an EventStream (`ack: 'manual'`) that reads
 * it; resolves once the stream is watching, so events created on `api` from
 * then on are forwarded. Call `stop()` when done, or pass `registerCleanup`.
 */
export async function startForwarding(
  routes: ForwardingRoutes,
  options: StartForwardingOptions = {},
): Promise<Forwarding> {
  const { api: apiOptions, stream: streamOptions, registerCleanup, ...forwarderOptions } = options;
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'keventer-forwarding-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const api = await FakeKubeApiServer.start(apiOptions);
    cleanups.push(() => api.close());
    const kubeConfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
    const stream = new EventStream({ ...streamOptions, kubeConfig, ack: 'manual' });
    const forwarder = createForwarder({
      ...forwarderOptions,
      stream,
      routes: typeof routes === 'function' ? await routes({ api, kubeConfig }) : routes,
    });
    const running = forwarder.run();
    let failure: { error: unknown } | undefined;
    running.catch((error: unknown) => {
      failure = { error };
    });
    cleanups.push(() => {
      forwarder.stop();
      return running.catch(() => undefined);
    });
    let stopped: Promise<ForwarderReport> | undefined;
    const stop = (): Promise<ForwarderReport> => {
      stopped ??= (async () => {
        forwarder.stop();
        try {
          return await running;
        } finally {
          await cleanUp();
        }
      })();
      return stopped;
    };
    const streamIsWatching = (): boolean => {
      if (failure) throw failure.error;
      return stream.state.phase === 'watching';
    };
    await waitFor(streamIsWatching, {
      timeoutMs: WATCHING_TIMEOUT_MS,
      what: () => {
        const { phase, error } = stream.state;
        return `the stream is ${phase}${error ? ` (${error.message})` : ''}`;
      },
    });
    registerCleanup?.(async () => {
      await stop();
    });
    return { api, stream, forwarder, stop };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 5000 */
  timeoutMs?: number;
  /** Appended to the timeout error: what there is instead (the messages so far, a state). */
  what?: () => string;
}

const POLL_MS = 5;

/** `() => x.length === 2` reads as `x.length === 2`; other functions by their name. */
function describePredicate(predicate: () => boolean): string {
  const source = String(predicate);
  const body = /^\(\s*\)\s*=>\s*([^{\s][\s\S]*)$/.exec(source)?.[1];
  return (body ?? (predicate.name || source)).replace(/\s+/g, ' ').trim();
}

/**
 * Resolves once `predicate()` holds, checking at once and then every 5 ms. On
 * timeout it throws an Error that names the predicate, followed by `what()`;
 * an error thrown by `predicate` rejects at once.
 */
export async function waitFor(
  predicate: () => boolean,
  options: WaitForOptions = {},
): Promise<void> {
  const { timeoutMs = 5000, what } = options;
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= deadline) {
      const detail = what ? `: ${what()}` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${describePredicate(predicate)}${detail}`,
      );
    }
    await sleep(POLL_MS);
  }
}
