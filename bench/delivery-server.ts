// The fake API server of the delivery benchmark, in its own process. It creates
// events on command, each stamped in its message with a sequence number and its
// creation time, so the receiver can measure end-to-end lag and losses.
//   stdin: `burst N` (N events at once) | `rate PER_SECOND SECONDS`; stdout, when
//   done: `{"before": RV}`, the resourceVersion before those events.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';

const server = await FakeKubeApiServer.start({ historyLimit: 1_000_000, eventTtlMs: 86_400_000 });
let seq = 0;

/** Wall-clock ms with sub-ms precision, comparable across processes on this machine. */
const wallMs = () => performance.timeOrigin + performance.now();

function create(count: number): void {
  const batch = [];
  for (let i = 0; i < count; i++, seq++) {
    batch.push(
      buildEvent({
        type: 'Warning',
        reason: 'BackOff',
        involvedObject: { kind: 'Pod', namespace: `team-${seq % 20}`, name: `web-${seq}` },
        message: `Back-off restarting failed container seq=${seq} created=${wallMs().toFixed(3)}`,
      }),
    );
  }
  server.createEvents(batch);
}

async function atRate(perSecond: number, seconds: number): Promise<void> {
  const tickMs = 10;
  const start = performance.now();
  let made = 0;
  const total = perSecond * seconds;
  while (made < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * perSecond));
    if (due > made) {
      create(due - made);
      made = due;
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
}

const kubeconfig = join(tmpdir(), `keventer-bench-delivery-${process.pid}.kubeconfig`);
await writeFile(kubeconfig, server.kubeconfig());
process.stdout.write(`${JSON.stringify({ kubeconfig })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, a, b] = line.split(' ');
  const before = server.resourceVersion;
  if (command === 'burst') create(Number(a));
  else if (command === 'rate') await atRate(Number(a), Number(b));
  process.stdout.write(`${JSON.stringify({ before })}\n`);
}
await server.close();
