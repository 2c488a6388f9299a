import type { KubeEvent } from '../event/model.js';
import { retryableError, type SinkError } from '../sink/contract/errors.js';
import type { Sink } from '../sink/contract/sink.js';
import { toSinkError } from '../sink/contract/to-sink-error.js';
import { MAX_TIMER_MS } from '../time/sleep.js';

/**
 * One `sink.write`, bounded by `timeoutMs` (Infinity for none) and `stop`.
 * Rejects with a SinkError only. The write's signal is aborted on timeout or
 * stop, and the attempt ends then even when the sink ignores its signal.
 */
export async function writeOnce(
  sink: Sink,
  batch: readonly KubeEvent[],
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onStop: (() => void) | undefined;
  const ended = new Promise<never>((_resolve, reject) => {
    const end = (error: SinkError, reason: unknown): void => {
      reject(error);
      controller.abort(reason);
    };
    if (Number.isFinite(timeoutMs)) {
      const ms = Math.max(0, Math.min(timeoutMs, MAX_TIMER_MS));
      timer = setTimeout(() => {
        const reason = new DOMException(`write timed out after ${ms} ms`, 'TimeoutError');
        end(retryableError(sink.name, `timed out after ${ms} ms`, { cause: reason }), reason);
      }, ms);
    }
    if (stop) {
      onStop = () =>
        end(
          retryableError(sink.name, 'aborted: the sender was stopped', { cause: stop.reason }),
          stop.reason,
        );
      if (stop.aborted) onStop();
      else stop.addEventListener('abort', onStop, { once: true });
    }
  });
  // An async wrapper turns a synchronous throw into a rejection.
  const write = (async () => sink.write(batch, { signal: controller.signal }))();
  // A write abandoned on timeout may still reject later; that is expected.
  write.catch(() => {});
  try {
    await Promise.race([write, ended]);
  } catch (err) {
    throw toSinkError(sink.name, err);
  } finally {
    clearTimeout(timer);
    if (onStop) stop?.removeEventListener('abort', onStop);
  }
}
