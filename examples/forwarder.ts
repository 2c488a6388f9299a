// A complete forwarder: Warning events of the cluster in KUBECONFIG (or the one
// this pod runs in), one alert per object and reason per minute, to the console.
import { byType, consoleSink, createDedup, EventStream, FileCheckpointStore } from '@keventer/core';

const stream = new EventStream({
  checkpoint: new FileCheckpointStore('.keventer/checkpoint.json'),
});
const isWarning = byType('Warning');
const dedup = createDedup({ mode: 'cooldown', windowMs: 60_000 });
const sink = await consoleSink();
process.once('SIGTERM', () => stream.stop());

for await (const event of stream) {
  if (isWarning(event) && dedup.accept(event))
    await sink.write([event], { signal: AbortSignal.timeout(10_000) });
}
