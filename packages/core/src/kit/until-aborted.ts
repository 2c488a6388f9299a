/**
 * Settles when `work` does, or rejects with the signal's reason as soon as it
 * aborts. For client libraries that take no signal: their request on the wire
 * cannot be taken back and finishes on its own, so a write must be idempotent
 * (or at least once) for the engine's retry that follows.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
