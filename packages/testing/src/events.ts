import type { CoreV1EventObject, WireObjectReference } from '@keventer/core';
import { type BuildOptions, buildEvent, microTimeOf } from './builders.js';
import {
  kubeletNodeRef,
  type NodeInput,
  type PodInput,
  type ResolvedPod,
  resolveNode,
  resolvePod,
  resolveWorkload,
  type WorkloadInput,
} from './refs.js';
import { unixNanoHex } from './time.js';

type EventType = 'Normal' | 'Warning';

const containerRef = (pod: ResolvedPod): WireObjectReference => ({
  ...pod.ref,
  fieldPath: `spec.containers{${pod.container}}`,
});

/** An event the kubelet on the pod's node records (old-style core/v1 recorder). */
function kubelet(
  pod: ResolvedPod,
  type: EventType,
  reason: string,
  message: string,
  options: BuildOptions,
  ref: WireObjectReference = containerRef(pod),
): CoreV1EventObject {
  return buildEvent(
    {
      involvedObject: ref,
      source: { component: 'kubelet', host: pod.node },
      type,
      reason,
      message,
    },
    options,
  );
}

/**
 * An event the scheduler records through events.k8s.io/v1, as the core/v1 API
 * shows it: eventTime (MicroTime) and action set, no count, null
 * first/lastTimestamp, empty source.
 */
function scheduler(
  pod: ResolvedPod,
  type: EventType,
  reason: string,
  action: string,
  message: string,
  options: BuildOptions,
): CoreV1EventObject {
  const at = options.at ?? new Date();
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.name}.${unixNanoHex(at)}`, namespace: pod.namespace },
    involvedObject: pod.ref,
    reason,
    message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type,
    eventTime: microTimeOf(at),
    action,
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-control-plane',
  };
}

/** An event a kube-controller-manager controller records. */
function controller(
  component: string,
  ref: WireObjectReference,
  type: EventType,
  reason: string,
  message: string,
  options: BuildOptions,
): CoreV1EventObject {
  return buildEvent(
    {
      involvedObject: ref,
      source: { component },
      reportingComponent: component,
      reportingInstance: '',
      type,
      reason,
      message,
    },
    options,
  );
}

/** Options of {@link events.failedScheduling}. */
export interface FailedSchedulingOptions extends BuildOptions {
  /** How many nodes the cluster has. @default 3 */
  nodes?: number;
  /** The shortage. @default 'Insufficient memory' */
  why?: string;
}

/** Options of {@link events.scaled}. */
export interface ScaledOptions extends BuildOptions {
  /** @default `<deployment>-7d4b9c` */
  replicaSet?: string;
  /** @default 1 */
  from?: number;
  /** @default 3 */
  to?: number;
}

/**
 * Realistic Events, worded like the real components write them. Pod helpers
 * take `namespace/name` or `{ name, namespace, uid, node, container, image }`.
 * Every helper takes `{ at }` last. All return core/v1 objects.
 */
export const events = {
  /** Normal Scheduled by default-scheduler: 'Successfully assigned ns/pod to node'. */
  scheduled(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return scheduler(
      p,
      'Normal',
      'Scheduled',
      'Binding',
      `Successfully assigned ${p.namespace}/${p.name} to ${p.node}`,
      options,
    );
  },

  /** Warning FailedScheduling: '0/3 nodes are available: 3 Insufficient memory. preemption: …'. */
  failedScheduling(pod: PodInput, options: FailedSchedulingOptions = {}): CoreV1EventObject {
    const n = options.nodes ?? 3;
    const why = options.why ?? 'Insufficient memory';
    const message = `0/${n} nodes are available: ${n} ${why}. preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`;
    return scheduler(
      resolvePod(pod),
      'Warning',
      'FailedScheduling',
      'Scheduling',
      message,
      options,
    );
  },

  /** Normal Pulling: 'Pulling image "…"'. */
  pulling(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return kubelet(p, 'Normal', 'Pulling', `Pulling image "${p.image}"`, options);
  },

  /** Normal Pulled: 'Successfully pulled image "…" in 1.532s (1.532s including waiting). Image size: … bytes.'. */
  pulled(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const message = `Successfully pulled image "${p.image}" in 1.532s (1.532s including waiting). Image size: 67328109 bytes.`;
    return kubelet(p, 'Normal', 'Pulled', message, options);
  },

  /** Warning Failed: 'Failed to pull image "…": rpc error: code = NotFound …'. */
  failedPull(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const message = `Failed to pull image "${p.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${p.image}": failed to resolve reference "${p.image}": ${p.image}: not found`;
    return kubelet(p, 'Warning', 'Failed', message, options);
  },

  /** Normal BackOff (the kubelet records it as Normal): 'Back-off pulling image "…"'. */
  imagePullBackOff(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return kubelet(p, 'Normal', 'BackOff', `Back-off pulling image "${p.image}"`, options);
  },

  /** Normal Created: 'Created container app'. */
  created(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return kubelet(p, 'Normal', 'Created', `Created container ${p.container}`, options);
  },

  /** Normal Started: 'Started container app'. */
  started(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return kubelet(p, 'Normal', 'Started', `Started container ${p.container}`, options);
  },

  /** Normal Killing: 'Stopping container app'. */
  killing(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    return kubelet(p, 'Normal', 'Killing', `Stopping container ${p.container}`, options);
  },

  /** Warning BackOff (crash loop): 'Back-off restarting failed container app in pod web-…_shop(uid)'. */
  backOff(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const message = `Back-off restarting failed container ${p.container} in pod ${p.name}_${p.namespace}(${p.uid})`;
    return kubelet(p, 'Warning', 'BackOff', message, options);
  },

  /**
   * Warning OOMKilling as node-problem-detector's kernel monitor records it: on
   * the pod's Node (no namespace; event namespace 'default'), naming the
   * container's process. Kubernetes itself records no Pod event for an OOM kill.
   */
  oomKilled(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const message = `Memory cgroup out of memory: Killed process 48213 (${p.container}) total-vm:2254340kB, anon-rss:524112kB, file-rss:18320kB, shmem-rss:0kB, UID:1000 pgtables:1364kB oom_score_adj:984`;
    return buildEvent(
      {
        metadata: { namespace: 'default' },
        involvedObject: kubeletNodeRef(p.node),
        source: { component: 'kernel-monitor', host: p.node },
        type: 'Warning',
        reason: 'OOMKilling',
        message,
      },
      options,
    );
  },

  /** Warning Unhealthy: 'Liveness probe failed: HTTP probe failed with statuscode: 500' or a refused Readiness probe. */
  unhealthy(
    pod: PodInput,
    probe: 'Liveness' | 'Readiness' | 'Startup',
    options: BuildOptions = {},
  ): CoreV1EventObject {
    const p = resolvePod(pod);
    const message =
      probe === 'Readiness'
        ? `Readiness probe failed: Get "http://${p.ip}:8080/ready": dial tcp ${p.ip}:8080: connect: connection refused`
        : `${probe} probe failed: HTTP probe failed with statuscode: 500`;
    return kubelet(p, 'Warning', 'Unhealthy', message, options);
  },

  /** Warning Evicted: 'The node was low on resource: memory. …'. */
  evicted(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: 87340Ki. Container ${p.container} was using 1843200Ki, request is 512Mi, has larger consumption of memory.`;
    return kubelet(p, 'Warning', 'Evicted', message, options, p.ref);
  },

  /** Warning FailedMount: 'MountVolume.SetUp failed for volume "config" : configmap "<app>-config" not found'. */
  failedMount(pod: PodInput, options: BuildOptions = {}): CoreV1EventObject {
    const p = resolvePod(pod);
    const configMap = `${p.name.split('-')[0]}-config`;
    const message = `MountVolume.SetUp failed for volume "config" : configmap "${configMap}" not found`;
    return kubelet(p, 'Warning', 'FailedMount', message, options, p.ref);
  },

  /** Normal NodeNotReady by node-controller: about the Node (no namespace), recorded in 'default'. */
  nodeNotReady(node: NodeInput, options: BuildOptions = {}): CoreV1EventObject {
    const ref = resolveNode(node);
    return controller(
      'node-controller',
      ref,
      'Normal',
      'NodeNotReady',
      `Node ${ref.name} status is now: NodeNotReady`,
      options,
    );
  },

  /** Normal NodeReady by the node's kubelet. */
  nodeReady(node: NodeInput, options: BuildOptions = {}): CoreV1EventObject {
    const ref = kubeletNodeRef(node);
    return buildEvent(
      {
        involvedObject: ref,
        source: { component: 'kubelet', host: ref.name },
        reason: 'NodeReady',
        message: `Node ${ref.name} status is now: NodeReady`,
      },
      options,
    );
  },

  /** Warning Rebooted by the node's kubelet: 'Node node-2 has been rebooted, boot id: …'. */
  rebooted(node: NodeInput, options: BuildOptions = {}): CoreV1EventObject {
    const ref = kubeletNodeRef(node);
    return buildEvent(
      {
        involvedObject: ref,
        source: { component: 'kubelet', host: ref.name },
        type: 'Warning',
        reason: 'Rebooted',
        message: `Node ${ref.name} has been rebooted, boot id: 5d2c4b7e-9a61-4f0e-8f3a-2b7f1c9e0d42`,
      },
      options,
    );
  },

  /** Normal ScalingReplicaSet by deployment-controller: 'Scaled up replica set web-7d4b9c to 3 from 1'. */
  scaled(deployment: WorkloadInput, options: ScaledOptions = {}): CoreV1EventObject {
    const ref = resolveWorkload('Deployment', deployment);
    const { from = 1, to = 3 } = options;
    const replicaSet = options.replicaSet ?? `${ref.name}-7d4b9c`;
    const message = `Scaled ${to >= from ? 'up' : 'down'} replica set ${replicaSet} to ${to} from ${from}`;
    return controller(
      'deployment-controller',
      ref,
      'Normal',
      'ScalingReplicaSet',
      message,
      options,
    );
  },

  /** Normal SuccessfulCreate by replicaset-controller: 'Created pod: web-7d4b9c-x2x1z'. */
  successfulCreate(
    replicaSet: WorkloadInput,
    pod: string,
    options: BuildOptions = {},
  ): CoreV1EventObject {
    const ref = resolveWorkload('ReplicaSet', replicaSet);
    return controller(
      'replicaset-controller',
      ref,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${pod}`,
      options,
    );
  },
};
