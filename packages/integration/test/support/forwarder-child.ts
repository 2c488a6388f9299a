// A forwarder process for the crash and shutdown tests: watches the fake API
// server, sends batches to a receiver, checkpoints to a file, and runs until it
// is killed, or stopped by SIGTERM (then it prints its report as JSON).
import type { FakeHttpReceiver } from '@keventer/testing';
import { createForwarder } from '../../../core/src/delivery/forwarder.js';
import { FileCheckpointStore } from '../../../core/src/stream/checkpoint.js';
import { EventStream } from '../../../core/src/stream/event-stream.js';
import { httpSink } from './http-sink.js';

const [kubeconfig, receiverUrl, checkpointPath, delivery] = process.argv.slice(2) as [
  string,
  string,
  string,
  string | undefined,
];
const stream = new EventStream({
  kubeConfig: kubeconfig,
  ack: 'manual',
  checkpoint: new FileCheckpointStore(checkpointPath),
});
const receiver = { url: receiverUrl } as FakeHttpReceiver;
const forwarder = createForwarder({
  stream,
  routes: [
    {
      sink: httpSink('receiver', receiver),
      delivery: delivery ? JSON.parse(delivery) : { batch: { maxEvents: 5, timeoutMs: 10 } },
    },
  ],
});
stream.onState((state) => {
  if (state.phase === 'watching') process.stdout.write('watching\n');
});
const report = await forwarder.run({ stopOn: ['SIGTERM'] });
process.stdout.write(`${JSON.stringify(report)}\n`);
