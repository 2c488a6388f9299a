import * as kit from '@keventer/core/kit';
import type { RiemannConnection } from './connection.js';
import { frameEvents } from './proto.js';
import { type EventDefaults, toRiemannEvent } from './riemann-event.js';

export interface RiemannTarget extends EventDefaults {
  readonly sink: string;
  readonly connection: RiemannConnection;
  readonly batchsize: number;
}

/**
 * Sends a batch as messages of at most `batchsize` events, one after the
 * other, each waiting for Riemann's ok. The first failure stops the batch:
 * thrown as is when nothing was delivered, as partialFailure of the events
 * not acknowledged otherwise.
 */
export async function writeBatch(
  target: RiemannTarget,
  batch: readonly kit.KubeEvent[],
  signal: AbortSignal,
): Promise<void> {
  const now = Date.now();
  for (let first = 0; first < batch.length; first += target.batchsize) {
    const events = batch.slice(first, first + target.batchsize);
    const frame = frameEvents(events.map((event) => toRiemannEvent(event, target, now)));
    const error = await target.connection.send(frame, signal).then(
      (answer) => (answer.ok ? undefined : serverError(target.sink, answer.error)),
      (failed: kit.SinkError) => failed,
    );
    if (error === undefined) continue;
    if (first === 0) throw error;
    const failures = batch.slice(first).map((_, i) => ({ index: first + i, error }));
    throw kit.partialFailure(target.sink, batch, failures);
  }
}

/** Riemann refused the message: its error string says why, and sending it again does not help. */
function serverError(sink: string, error: string): kit.SinkError {
  return kit.permanentError(
    sink,
    `Riemann refused the message: ${kit.snippet(error, 300) || 'no ok and no error'}`,
  );
}
