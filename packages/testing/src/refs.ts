import { createHash, randomUUID } from 'node:crypto';
import type { WireObjectReference } from '@keventer/core';

/** A Pod as the event helpers need it. A string is `namespace/name` or `name` (namespace 'default'). */
export type PodInput = string | PodSpecInput;

/** A Pod described as an object. */
export interface PodSpecInput {
  name: string;
  /** @default 'default' */
  namespace?: string;
  /** @default a random UUID */
  uid?: string;
  /** The node it runs on. @default 'node-1' */
  node?: string;
  /** The container the event is about. @default 'app' */
  container?: string;
  /** @default `registry.example.com/<app>:1.4.2`, <app> being the name without its generated suffixes */
  image?: string;
}

/** A Node: its name, or name and uid (node-controller events carry the real uid; kubelet ones the name). */
export type NodeInput = string | { name: string; uid?: string };

/** A namespaced workload (Deployment, ReplicaSet): `namespace/name`, `name`, or an object. */
export type WorkloadInput = string | { name: string; namespace?: string; uid?: string };

/** A Pod with every default filled in. */
export interface ResolvedPod {
  name: string;
  namespace: string;
  uid: string;
  node: string;
  container: string;
  image: string;
  /** A stable pod IP derived from the name (10.244.x.y). */
  ip: string;
  ref: WireObjectReference;
}

function splitName(text: string): { namespace: string; name: string } {
  const slash = text.indexOf('/');
  return slash < 0
    ? { namespace: 'default', name: text }
    : { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** The app name of a generated pod name: `web-7d4b9c-x2x1z` -> `web`. */
export function appOf(podName: string): string {
  const parts = podName.split('-');
  return parts.length >= 3 ? parts.slice(0, -2).join('-') : (parts[0] ?? podName);
}

export function resolvePod(input: PodInput): ResolvedPod {
  const given = typeof input === 'string' ? splitName(input) : input;
  const namespace = given.namespace ?? 'default';
  const name = given.name;
  const opts: Partial<PodSpecInput> = typeof input === 'string' ? {} : input;
  const uid = opts.uid ?? randomUUID();
  const hash = createHash('sha1').update(`${namespace}/${name}`).digest();
  return {
    name,
    namespace,
    uid,
    node: opts.node ?? 'node-1',
    container: opts.container ?? 'app',
    image: opts.image ?? `registry.example.com/${appOf(name)}:1.4.2`,
    ip: `10.244.${(hash[0] ?? 0) % 8}.${((hash[1] ?? 0) % 250) + 2}`,
    ref: { kind: 'Pod', namespace, name, uid, apiVersion: 'v1' },
  };
}

export function resolveNode(input: NodeInput): WireObjectReference {
  const { name, uid = randomUUID() } = typeof input === 'string' ? { name: input } : input;
  return { kind: 'Node', name, uid, apiVersion: 'v1' };
}

export function resolveWorkload(kind: string, input: WorkloadInput): WireObjectReference {
  const given = typeof input === 'string' ? splitName(input) : input;
  return {
    kind,
    namespace: given.namespace ?? 'default',
    name: given.name,
    uid: (typeof input === 'string' ? undefined : input.uid) ?? randomUUID(),
    apiVersion: 'apps/v1',
  };
}

/** The Node reference the kubelet (and node-problem-detector) records: its uid is the node name. */
export function kubeletNodeRef(input: NodeInput): WireObjectReference {
  const name = typeof input === 'string' ? input : input.name;
  return { kind: 'Node', name, uid: name, apiVersion: 'v1' };
}
