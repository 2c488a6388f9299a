import { randomUUID } from 'node:crypto';
import type { CoreV1EventObject } from '@keventer/core';
import { kubeTime, unixNanoHex } from '../time.js';
import { ChangeHistory, type ChangeRecord, type ChangeType } from './history.js';

/** `namespace/name`, the store key (and the list order). */
export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * The one store of core/v1 Events with a global, monotonically increasing
 * resourceVersion. Stored objects are never mutated: every write stores a new
 * object and appends a {@link ChangeRecord}.
 */
export class EventStore {
  readonly history: ChangeHistory;
  private readonly objects = new Map<string, CoreV1EventObject>();
  private sortedKeys: string[] | undefined;

  constructor(
    historyLimit: number,
    startRv: number,
    private readonly onChange: (record: ChangeRecord) => void,
  ) {
    this.history = new ChangeHistory(historyLimit, startRv);
  }

  /** The current resourceVersion. */
  get resourceVersion(): number {
    return this.history.latestRv;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): CoreV1EventObject | undefined {
    return this.objects.get(key);
  }

  /** Current objects in key order. */
  list(): CoreV1EventObject[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys.map((key) => this.objects.get(key) as CoreV1EventObject);
  }

  /**
   * Stores a new Event: fills namespace, name, uid and creationTimestamp when
   * missing (the apiserver always sets creationTimestamp and resourceVersion).
   * Throws when the name is taken.
   */
  create(input: CoreV1EventObject): CoreV1EventObject {
    const meta = { ...input.metadata };
    meta.namespace ||= input.involvedObject?.namespace || 'default';
    meta.name ||= `${input.involvedObject?.name || 'event'}.${unixNanoHex()}`;
    meta.uid ||= randomUUID();
    meta.creationTimestamp = kubeTime();
    const key = keyOf(meta.namespace, meta.name);
    if (this.objects.has(key)) {
      throw new Error(`events "${meta.name}" already exists in namespace "${meta.namespace}"`);
    }
    return this.write('ADDED', key, { ...input, apiVersion: 'v1', kind: 'Event', metadata: meta });
  }

  /** Replaces an existing Event (identity metadata is kept). Throws when it does not exist. */
  replace(key: string, next: CoreV1EventObject): CoreV1EventObject {
    const current = this.mustGet(key);
    const metadata = {
      ...next.metadata,
      name: current.metadata?.name,
      namespace: current.metadata?.namespace,
      uid: current.metadata?.uid,
      creationTimestamp: current.metadata?.creationTimestamp,
    };
    return this.write('MODIFIED', key, { ...next, apiVersion: 'v1', kind: 'Event', metadata });
  }

  /** Deletes an Event; returns its last state, or undefined when there was none. */
  delete(key: string): CoreV1EventObject | undefined {
    if (!this.objects.has(key)) return undefined;
    return this.write('DELETED', key, this.mustGet(key));
  }

  /**
   * The store as it was at `rv` (for consistent paginated lists), rebuilt by
   * undoing the kept changes; undefined when changes after `rv` were compacted.
   */
  snapshotAt(rv: number): CoreV1EventObject[] | undefined {
    if (rv < this.history.compactedRv || rv > this.resourceVersion) return undefined;
    if (rv === this.resourceVersion) return this.list();
    const state = new Map(this.objects);
    for (let r = this.resourceVersion; r > rv; r--) {
      const record = this.history.at(r) as ChangeRecord;
      if (record.previous) state.set(record.key, record.previous);
      else state.delete(record.key);
    }
    return [...state.keys()].sort().map((key) => state.get(key) as CoreV1EventObject);
  }

  private mustGet(key: string): CoreV1EventObject {
    const current = this.objects.get(key);
    if (!current) throw new Error(`events "${key}" not found`);
    return current;
  }

  private write(type: ChangeType, key: string, obj: CoreV1EventObject): CoreV1EventObject {
    const rv = this.resourceVersion + 1;
    const object = structuredClone({
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: String(rv) },
    });
    const previous = this.objects.get(key);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, object);
    if (type !== 'MODIFIED') this.sortedKeys = undefined;
    const record: ChangeRecord = { rv, type, key, object, previous };
    this.history.append(record);
    this.onChange(record);
    return object;
  }
}
