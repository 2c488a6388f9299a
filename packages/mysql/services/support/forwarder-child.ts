// A forwarder process for the crash test: watches the fake API server, writes
// to MariaDB through the mysql sink, checkpoints to a file, runs until killed.
// Prints `watching`, then `wrote <occurrence ids as JSON>` after each batch
// the sink wrote, so the test sees what a restart writes again.
import { createForwarder, EventStream, FileCheckpointStore, occurrenceId } from '@keventer/core';
import { mysql } from '../../src/index.js';

const [kubeconfig, uri, checkpointPath] = process.argv.slice(2) as [string, string, string];
const stream = new EventStream({
  kubeConfig: kubeconfig,
  ack: 'manual',
  checkpoint: new FileCheckpointStore(checkpointPath),
  // Saved often, so the test need not wait 5 s for what was written to be in it.
  checkpointIntervalMs: 100,
});
const sink = await mysql.fromUri(uri);
const observed = {
  ...sink,
  name: sink.name,
  async write(...args: Parameters<typeof sink.write>) {
    await sink.write(...args);
    process.stdout.write(`wrote ${JSON.stringify(args[0].map(occurrenceId))}\n`);
  },
};
const forwarder = createForwarder({
  stream,
  routes: [{ sink: observed, delivery: { batch: { maxEvents: 20, timeoutMs: 10 } } }],
});
stream.onState((state) => {
  if (state.phase === 'watching') process.stdout.write('watching\n');
});
await forwarder.run({ stopOn: ['SIGTERM'] });
