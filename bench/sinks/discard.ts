// The ceiling: the same forwarder into a sink that writes nothing. What a data sink
// reaches next to it shows what the sink and its server cost, on this machine, at
// this moment (a busy machine slows both alike). Not in the last line.
import type { Sink } from '@keventer/core';
import type { SinkBench } from './types.js';

export const discardBench: SinkBench = {
  name: 'discard',
  unit: 'events',
  service: '',
  perEventMethod: '',
  reference: true,
  missing: () => undefined,
  fresh: async () => ({}),
  createSink: async (): Promise<Sink> => ({ name: 'discard', write: async () => {} }),
  // The route's own count (the runner checks that every event was sent) is the only one.
  count: async () => Number.NaN,
  perEvent: async () => {},
  close: async () => {},
};
