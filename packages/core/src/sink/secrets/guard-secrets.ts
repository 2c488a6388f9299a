import type { Sink } from '../contract/sink.js';
import { toSinkError } from '../contract/to-sink-error.js';
import { maskSecrets, withSecrets } from './secret-values.js';

/**
 * Masks the sink's secret values in whatever its `write` and `close` throw,
 * causes included: core's own errors are masked as they are built (the
 * secrets are in scope), this catches the rest (a client library's error, a
 * SinkError from another copy of core, a server's echo kept as a cause).
 */
export function guardSecrets(sink: Sink, secrets: readonly string[]): Sink {
  if (secrets.length === 0) return sink;
  const original = sink.write;
  const write: Sink['write'] = (batch, ctx) =>
    withSecrets(secrets, async () => {
      try {
        return await original.call(sink, batch, ctx);
      } catch (err) {
        throw maskError(toSinkError(sink.name, err), secrets);
      }
    });
  const close = sink.close;
  const guarded: Partial<Sink> = {
    write,
    ...(close === undefined
      ? {}
      : {
          close: () =>
            withSecrets(secrets, async () => {
              try {
                return await close.call(sink);
              } catch (err) {
                throw maskError(err, secrets);
              }
            }),
        }),
  };
  // In place, so a class instance keeps its private fields and getters.
  if (Object.isExtensible(sink)) {
    try {
      return Object.assign(sink, guarded);
    } catch {
      // A read-only `write`: fall through to a wrapper.
    }
  }
  return Object.assign(Object.create(sink) as Sink, guarded);
}

/** Masks `secrets` in the message and stack of `err` and its causes, in place; returns `err`. */
export function maskError<T>(err: T, secrets: readonly string[]): T {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    try {
      current.message = maskSecrets(current.message, secrets);
      if (typeof current.stack === 'string') current.stack = maskSecrets(current.stack, secrets);
    } catch {
      // A frozen error: nothing to do but leave it.
    }
    current = current.cause;
  }
  return err;
}
