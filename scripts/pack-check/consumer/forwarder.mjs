// The README's forwarder in plain JavaScript (no build step), run from another
// working directory than the app's. Sink URI and kubeconfig from the environment.
import { createForwarder, createSinkFromUri, EventStream } from '@keventer/core';

const { sink } = await createSinkFromUri(process.env.SINK_URI);
// The app's own import after createSinkFromUri loaded the package must not throw.
await import('@keventer/webhook');
const forwarder = createForwarder({
  stream: new EventStream({ ack: 'manual' }),
  routes: [{ sink }],
});
console.log('forwarder: starting');
await forwarder.run({ stopOn: ['SIGTERM', 'SIGINT'] });
