import type { KubeEvent } from '../../../core/src/event/model.js';
import { occurrenceId } from '../../../core/src/event/occurrence.js';
import type { EventStream } from '../../../core/src/stream/event-stream.js';
import { until } from './until.js';

/**
 * Reads `stream` in the background, recording every event and its occurrence
 * id; `until` polls every `pollMs` and gives up after `timeoutMs` by default.
 */
export function recordStream(stream: EventStream, { pollMs = 10, timeoutMs = 5000 } = {}) {
  const events: KubeEvent[] = [];
  const ids: string[] = [];
  const done = (async () => {
    for await (const event of stream) {
      events.push(event);
      ids.push(occurrenceId(event));
    }
  })();
  return {
    stream,
    events,
    ids,
    done,
    async stop(): Promise<void> {
      stream.stop();
      await done;
    },
    /** Resolves once `predicate` holds, polling; fails after `waitMs`. */
    until(predicate: () => boolean, waitMs = timeoutMs): Promise<void> {
      const describe = () =>
        `${events.length} events, state ${stream.state.phase}, stats ${JSON.stringify(stream.stats)}`;
      return until(predicate, waitMs, { pollMs, describe });
    },
  };
}

export type RecordedStream = ReturnType<typeof recordStream>;
