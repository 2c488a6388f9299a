// npm run bench:notify: an alert storm into a DingTalk group. A burst of 10k
// Warning occurrences in one second (crash-looping replicas of ten Deployments,
// plus twenty one-off warnings) goes from the fake API server through a
// forwarder to the dingtalk sink with its defaults (the chat profile: repeats
// digested for 5 minutes, 20 messages a minute). The fake robot enforces
// DingTalk's limit (130101 and a 10-minute block past 20 a minute). Robot time
// runs BENCH_SPEED times faster (default 10), so 10 robot minutes take a minute.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, createSinkFromUri, EventStream } from '@keventer/core';
import '@keventer/dingtalk';
import { buildEvent, FakeDingTalkServer, FakeKubeApiServer } from '@keventer/testing';

const SPEED = Number(process.env.BENCH_SPEED ?? 10);
const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000);
const ROBOT_MINUTES = 10;
const minute = 60_000 / SPEED;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const api = await FakeKubeApiServer.start({ historyLimit: TOTAL * 2 });
const kubeConfig = join(tmpdir(), `keventer-bench-notify-${process.pid}.kubeconfig`);
await writeFile(kubeConfig, api.kubeconfig());
const start = Date.now();
const robot = await FakeDingTalkServer.start({
  token: 'bench',
  secret: 'SECbench',
  keywords: ['k8s'],
  clock: () => start + (Date.now() - start) * SPEED,
});
const stream = new EventStream({ kubeConfig, ack: 'manual', since: 'now' });
const { sink } = await createSinkFromUri(robot.sinkUri({ label: '[k8s] prod' }));
const forwarder = createForwarder({
  stream,
  routes: [
    {
      sink,
      // The sink's defaults, with its minutes in robot time.
      delivery: {
        aggregate: { windowMs: 5 * minute },
        request: { rateLimitDurationMs: (62 / 60) * minute, retryInitialBackoffMs: minute / 10 },
      },
    },
  ],
});
const running = forwarder.run();
while (stream.state.phase !== 'watching') await sleep(10);

// The storm: 10 Deployments x 3 crash-looping replicas whose BackOff events
// recur, and 20 one-off warnings on other objects; TOTAL occurrences in ~1 s.
// Generated names as Kubernetes makes them: <deployment>-<pod-template-hash>-<5 chars>.
const pods = Array.from(
  { length: 30 },
  (_, i) => `app${i % 10}-7d4b9c8f6d-${'bcdfg'[i % 5]}x2x${'256'[Math.floor(i / 10)]}`,
);
const oneOffs = 20;
const stormStart = performance.now();
for (const [i, pod] of pods.entries()) {
  api.createEvent(
    buildEvent({
      metadata: { name: `${pod}.backoff`, namespace: 'shop' },
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container app in pod ${pod}`,
      involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${i}` },
    }),
  );
}
for (let i = 0; i < oneOffs; i++) {
  api.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'FailedMount',
      message: `MountVolume.SetUp failed for volume "config-${i}"`,
      involvedObject: { kind: 'Pod', namespace: `team-${i}`, name: `job-${i}` },
    }),
  );
}
const recurrences = TOTAL - pods.length - oneOffs;
for (let i = 0; i < recurrences; i++) {
  api.recurEvent('shop', `${pods[i % pods.length]}.backoff`);
  if (i % 100 === 99) await sleep(10); // spread over about a second
}
const stormMs = performance.now() - stormStart;
while (stream.stats.emitted < TOTAL) await sleep(20);

// Ten robot minutes: the windows close and their digests go out within the limit.
await sleep(ROBOT_MINUTES * minute);
forwarder.stop();
const report = await running;
await api.close();
await robot.close();

const route = report.routes[sink.name];
const digests = robot.messages.filter((m) => m.content.includes('\nRepeated: '));
// Counted on the robot's side: a message stands for one occurrence, a digest for
// its first occurrence's message plus the repeats it names.
const seenByRobot = robot.messages.reduce((sum, message) => {
  const repeated = /\nRepeated: (\d+) more times?/.exec(message.content);
  return sum + (repeated ? Number(repeated[1]) : 1);
}, 0);
const refused = robot.requests.filter((r) =>
  'errcode' in r.answer ? r.answer.errcode !== 0 : r.answer.status !== 200,
).length;
const perMinute = new Map<number, number>();
for (const message of robot.messages) {
  const robotMinute = Math.floor((message.receivedAt - start) / 60_000);
  perMinute.set(robotMinute, (perMinute.get(robotMinute) ?? 0) + 1);
}
const busiest = Math.max(...perMinute.values());

console.log(
  `storm: ${TOTAL} Warning occurrences in ${(stormMs / 1000).toFixed(1)} s (30 crash-looping replicas of 10 Deployments, ${oneOffs} one-off warnings)`,
);
console.log(
  `robot: ${robot.messages.length} messages in ${ROBOT_MINUTES} robot minutes (${digests.length} digests), busiest minute ${busiest} (limit 20), ${refused} refused by the robot`,
);
console.log(
  `accounting: ${route?.received} received = ${(route?.received ?? 0) - (route?.aggregated ?? 0)} sent as messages + ${route?.aggregated} digested; ${route?.sent} delivered, ${route?.dropped} dropped, ${route?.deadLettered} dead-lettered, ${report.undelivered} undelivered; the robot's messages stand for ${seenByRobot}`,
);
console.log(
  `kube-eventer, same storm: one message per occurrence at ~20 events/s (${TOTAL} messages over ${Math.round(TOTAL / 20 / 60)} minutes); the robot refuses all but 20 a minute with errcode 130101, which kube-eventer never checks: the rest are lost without a trace`,
);
console.log(
  `notify messages=${robot.messages.length} digests=${digests.length} busiest_minute=${busiest} refused=${refused} occurrences=${TOTAL} accounted=${(route?.sent ?? 0) + (route?.dropped ?? 0) + (route?.deadLettered ?? 0)} robot_view=${seenByRobot}`,
);
