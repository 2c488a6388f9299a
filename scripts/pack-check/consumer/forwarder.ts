// The README's forwarder in TypeScript, as an app writes it. The sink URI and
// the kubeconfig come from the environment (the pack check's fakes).
import { type CreatedSink, createForwarder, createSinkFromUri, EventStream } from '@keventer/core';

const uri = process.env.SINK_URI;
if (uri === undefined) throw new Error('set SINK_URI');

const stream = new EventStream({ ack: 'manual' });
const created: CreatedSink = await createSinkFromUri(uri);
// The app's own import after createSinkFromUri loaded the package: one copy, no clash.
const own = await import('@keventer/dingtalk');
if (own.default.scheme !== created.definition.scheme) throw new Error('another dingtalk copy');
const forwarder = createForwarder({ stream, routes: [{ sink: created.sink }] });
console.log('forwarder: starting');
await forwarder.run({ stopOn: ['SIGTERM', 'SIGINT'] });
