import type { FakeHttpReceiver } from '@keventer/testing';
import { occurrenceId } from '../../../core/src/event/occurrence.js';
import { classifyHttpResponse } from '../../../core/src/sink/contract/http-status.js';
import type { Sink } from '../../../core/src/sink/contract/sink.js';

/** A small real HTTP sink: POSTs each batch as a JSON array of occurrence ids. */
export function httpSink(name: string, receiver: FakeHttpReceiver): Sink {
  return {
    name,
    async write(batch, { signal }) {
      const res = await fetch(receiver.url, {
        method: 'POST',
        body: JSON.stringify(batch.map(occurrenceId)),
        signal,
      });
      const failure = classifyHttpResponse(name, res.status, res.headers, await res.text());
      if (failure) throw failure;
    },
  };
}
