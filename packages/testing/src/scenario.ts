import type { CoreV1EventObject } from '@keventer/core';
import type { BuildOptions } from './builders.js';
import { events } from './events.js';
import { createPrng, type Prng } from './prng.js';

/** Which stored Event a step acts on. */
export interface EventRef {
  namespace: string;
  name: string;
}

/** Create an Event. */
export interface CreateStep {
  atMs: number;
  action: 'create';
  event: CoreV1EventObject;
}

/** One more occurrence of an Event (count + 1, or series.count + 1). */
export interface RecurStep {
  atMs: number;
  action: 'recur';
  ref: EventRef;
  message?: string;
}

/** Delete an Event (like a namespace deletion or the TTL). */
export interface DeleteStep {
  atMs: number;
  action: 'delete';
  ref: EventRef;
}

/** One step of a scenario, `atMs` after its start. */
export type ScenarioStep = CreateStep | RecurStep | DeleteStep;

/** Options of {@link clusterScenario}. */
export interface ClusterScenarioOptions {
  /** Different seeds give different (but each reproducible) clusters. @default 1 */
  seed?: number;
  /** The scenario's time zero (its Events' timestamps and name suffixes). @default 2026-01-01T00:00:00Z */
  start?: Date;
  /** The timeline is stretched or squeezed to this length. @default 600_000 (10 minutes) */
  durationMs?: number;
}

const BASE_MS = 600_000;
/** The alphabet of generated Kubernetes names (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

interface Pod {
  name: string;
  namespace: string;
  uid: string;
  node: string;
  container: string;
}

interface StartedPod {
  pod: Pod;
  created: EventRef;
  started: EventRef;
  /** When the container started. */
  at: number;
}

type Maker = (options: BuildOptions) => CoreV1EventObject;

/** A point on the timeline that moves forward. */
class Clock {
  constructor(public now: number) {}

  /** Moves forward by `ms` and returns the new time. */
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

/** Collects steps on a scaled clock, naming Events deterministically. */
class Timeline {
  private readonly steps: { step: ScenarioStep; seq: number }[] = [];
  private readonly created: EventRef[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly startMs: number,
    private readonly scale: number,
  ) {}

  create(atMs: number, make: Maker): EventRef {
    const t = Math.round(atMs * this.scale);
    const event = make({ at: new Date(this.startMs + t) });
    const nanos = BigInt(this.startMs + t) * 1_000_000n + BigInt(this.rng.int(0, 999_999));
    const ref = {
      namespace: event.metadata?.namespace ?? 'default',
      name: `${event.involvedObject?.name}.${nanos.toString(16)}`,
    };
    event.metadata = { ...event.metadata, ...ref };
    this.push({ atMs: t, action: 'create', event });
    this.created.push(ref);
    return ref;
  }

  recur(atMs: number, ref: EventRef, message?: string): void {
    const step: RecurStep = { atMs: Math.round(atMs * this.scale), action: 'recur', ref };
    if (message !== undefined) step.message = message;
    this.push(step);
  }

  delete(atMs: number, ref: EventRef): void {
    this.push({ atMs: Math.round(atMs * this.scale), action: 'delete', ref });
  }

  /** The Events created so far in a namespace. */
  createdIn(namespace: string): EventRef[] {
    return this.created.filter((ref) => ref.namespace === namespace);
  }

  sorted(): ScenarioStep[] {
    return this.steps.sort((a, b) => a.step.atMs - b.step.atMs || a.seq - b.seq).map((s) => s.step);
  }

  private push(step: ScenarioStep): void {
    this.steps.push({ step, seq: this.steps.length });
  }
}

/**
 * A deterministic timeline of a small cluster's life (3 nodes, a few
 * Deployments): rollouts, a pod that cannot be scheduled, a bad image that
 * backs off, a crash loop whose BackOff recurs with rising counts, an OOM
 * kill, failing probes, a node going NotReady and back, autoscaling, and a
 * preview namespace whose Events are deleted. The same options always give
 * the same steps, sorted by `atMs`.
 */
export function clusterScenario(options: ClusterScenarioOptions = {}): ScenarioStep[] {
  const rng = createPrng(options.seed ?? 1);
  const startMs = (options.start ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const tl = new Timeline(rng, startMs, (options.durationMs ?? BASE_MS) / BASE_MS);
  const nameChars = (n: number): string =>
    Array.from({ length: n }, () => rng.pick([...NAME_ALPHABET])).join('');
  const nodes = ['node-1', 'node-2', 'node-3'];
  const newPod = (
    rs: string,
    namespace: string,
    container = 'app',
    node = rng.pick(nodes),
  ): Pod => ({
    name: `${rs}-${nameChars(5)}`,
    namespace,
    uid: rng.uuid(),
    node,
    container,
  });
  const deployment = (name: string, namespace: string) => ({ name, namespace, uid: rng.uuid() });

  /** Scheduled, Pulling, Pulled, Created, Started. */
  const startPod = (pod: Pod, t0: number): StartedPod => {
    const c = new Clock(t0);
    tl.create(c.now, (o) => events.scheduled(pod, o));
    tl.create(c.advance(rng.int(200, 800)), (o) => events.pulling(pod, o));
    tl.create(c.advance(rng.int(1500, 6000)), (o) => events.pulled(pod, o));
    const created = tl.create(c.advance(rng.int(20, 80)), (o) => events.created(pod, o));
    const started = tl.create(c.advance(rng.int(50, 150)), (o) => events.started(pod, o));
    return { pod, created, started, at: c.now };
  };

  /** The scale-up of a Deployment: ScalingReplicaSet, SuccessfulCreate and the pods starting. */
  const rollout = (
    app: string,
    namespace: string,
    replicas: number,
    t0: number,
    container = 'app',
  ) => {
    const deploy = deployment(app, namespace);
    const replicaSet = `${app}-${nameChars(10)}`;
    const rs = { name: replicaSet, namespace, uid: rng.uuid() };
    tl.create(t0, (o) => events.scaled(deploy, { ...o, replicaSet, from: 0, to: replicas }));
    const pods: StartedPod[] = [];
    for (let i = 0; i < replicas; i++) {
      const pod = newPod(replicaSet, namespace, container);
      tl.create(t0 + 40 + i * 15, (o) => events.successfulCreate(rs, pod.name, o));
      pods.push(startPod(pod, t0 + 120 + i * 35));
    }
    return { deploy, replicaSet, rs, pods };
  };

  // 1. Rollouts, plus a preview environment that is torn down later.
  const web = rollout('web', 'shop', 3, 1_000);
  const api = rollout('api', 'payments', 2, 1_000 + rng.int(3_000, 8_000), 'api');
  const worker = rollout('worker', 'shop', 2, 12_000 + rng.int(0, 5_000), 'worker');
  rollout('web', 'preview-pr-1432', 1, 20_000 + rng.int(0, 5_000));

  // 2. A pod that does not fit: FailedScheduling repeats (series) until a node frees up.
  const report = newPod(`report-${nameChars(10)}`, 'batch', 'report', 'node-3');
  const pending = tl.create(70_000, (o) => events.failedScheduling(report, o));
  let c = new Clock(70_000);
  for (let i = rng.int(3, 6); i > 0; i--) tl.recur(c.advance(rng.int(15_000, 35_000)), pending);
  startPod(report, c.advance(rng.int(5_000, 15_000)));

  // 3. A bad image: pulling fails and backs off, then the rollout is undone.
  let t = 120_000 + rng.int(0, 10_000);
  const badRs = `api-${nameChars(10)}`;
  tl.create(t, (o) => events.scaled(api.deploy, { ...o, replicaSet: badRs, from: 0, to: 1 }));
  const badPod = {
    ...newPod(badRs, 'payments', 'api'),
    image: 'registry.example.com/api:1.5.0-rc1',
  };
  tl.create(t + 40, (o) => events.successfulCreate({ ...api.rs, name: badRs }, badPod.name, o));
  tl.create(t + 150, (o) => events.scheduled(badPod, o));
  const pulling = tl.create(t + 600, (o) => events.pulling(badPod, o));
  const failed = tl.create(t + 1_400, (o) => events.failedPull(badPod, o));
  const pullBackOff = tl.create(t + 1_500, (o) => events.imagePullBackOff(badPod, o));
  c = new Clock(t + 1_500);
  for (let i = rng.int(3, 6); i > 0; i--) {
    tl.recur(c.advance(rng.int(10_000, 30_000)), pullBackOff);
    tl.recur(c.advance(200), pulling);
    tl.recur(c.advance(800), failed);
  }
  tl.create(c.advance(5_000), (o) =>
    events.scaled(api.deploy, { ...o, replicaSet: badRs, from: 1, to: 0 }),
  );

  // 4. A crash loop: each restart repeats Created/Started, BackOff rises with the delay.
  const crashing = worker.pods[0] as StartedPod;
  c = new Clock(150_000 + rng.int(0, 10_000));
  const crashBackOff = tl.create(c.now, (o) => events.backOff(crashing.pod, o));
  for (let i = rng.int(4, 7), delay = 10_000; i > 0; i--, delay = Math.min(delay * 2, 60_000)) {
    tl.recur(c.advance(delay), crashing.created);
    tl.recur(c.advance(60), crashing.started);
    tl.recur(c.advance(rng.int(500, 3_000)), crashBackOff);
  }

  // 5. An OOM kill on a web pod's node, then its restart.
  const oomPod = web.pods[1] as StartedPod;
  t = 240_000 + rng.int(0, 20_000);
  tl.create(t, (o) => events.oomKilled(oomPod.pod, o));
  const oomBackOff = tl.create(t + 600, (o) => events.backOff(oomPod.pod, o));
  tl.recur(t + 10_600, oomPod.created);
  tl.recur(t + 10_700, oomPod.started);
  tl.recur(t + 25_000, oomBackOff);

  // 6. Probes: readiness failing for a while; liveness failing until the kubelet restarts the container.
  const notReady = api.pods[0] as StartedPod;
  c = new Clock(300_000 + rng.int(0, 5_000));
  const readiness = tl.create(c.now, (o) => events.unhealthy(notReady.pod, 'Readiness', o));
  for (let i = rng.int(5, 10); i > 0; i--) tl.recur(c.advance(rng.int(9_000, 11_000)), readiness);
  const live = web.pods[2] as StartedPod;
  t = 330_000 + rng.int(0, 5_000);
  const liveness = tl.create(t, (o) => events.unhealthy(live.pod, 'Liveness', o));
  tl.recur(t + 10_000, liveness);
  t += 20_000;
  tl.recur(t, liveness);
  tl.create(t + 50, (o) => ({
    ...events.killing(live.pod, o),
    message: `Container ${live.pod.container} failed liveness probe, will be restarted`,
  }));
  tl.recur(t + 2_000, live.created);
  tl.recur(t + 2_100, live.started);

  // 7. Node trouble: memory pressure evicts a pod, a node goes NotReady, reboots, comes back.
  const evictedPod = worker.pods[1] as StartedPod;
  tl.create(380_000 + rng.int(0, 10_000), (o) => events.evicted(evictedPod.pod, o));
  const sick = { name: 'node-3', uid: rng.uuid() };
  t = 400_000 + rng.int(0, 10_000);
  tl.create(t, (o) => events.nodeNotReady(sick, o));
  tl.create(t + rng.int(30_000, 45_000), (o) => events.rebooted(sick.name, o));
  tl.create(t + rng.int(50_000, 70_000), (o) => events.nodeReady(sick.name, o));

  // 8. Autoscaling in between: web grows one pod at a time.
  let replicas = 3;
  for (const at of [95_000, 210_000, 470_000].map((base) => base + rng.int(0, 20_000))) {
    if (rng.next() < 0.25) continue;
    tl.create(at, (o) =>
      events.scaled(web.deploy, {
        ...o,
        replicaSet: web.replicaSet,
        from: replicas,
        to: replicas + 1,
      }),
    );
    const pod = newPod(web.replicaSet, 'shop');
    tl.create(at + 40, (o) => events.successfulCreate(web.rs, pod.name, o));
    startPod(pod, at + 120);
    replicas++;
  }

  // 9. The preview namespace is deleted: its Events go with it.
  c = new Clock(520_000 + rng.int(0, 30_000));
  for (const ref of tl.createdIn('preview-pr-1432')) tl.delete(c.advance(5), ref);

  return tl.sorted();
}
