// A complete forwarder: the cluster in KUBECONFIG (or the one this pod runs in)
// to a DingTalk group, with kube-eventer's --sink URI. Warnings only, repeats
// folded into digests, 20 messages a minute, nothing lost across restarts.
import {
  createForwarder,
  createSinkFromUri,
  EventStream,
  FileCheckpointStore,
} from '@keventer/core';

const stream = new EventStream({
  ack: 'manual',
  checkpoint: new FileCheckpointStore('.keventer/checkpoint.json'),
});
const { sink } = await createSinkFromUri(
  'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=$DINGTALK_TOKEN&sign=$DINGTALK_SECRET&label=[k8s]',
);
const forwarder = createForwarder({ stream, routes: [{ sink }] });
await forwarder.run({ stopOn: ['SIGTERM', 'SIGINT'] });
