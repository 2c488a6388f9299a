import type { Checkpoint, CheckpointStore } from '@keventer/core';
import {
  CHECKPOINT_KEY,
  decodeCheckpoint,
  encodeCheckpoint,
  MAX_CHECKPOINT_BYTES,
} from './checkpoint-codec.js';
import {
  type ConfigMap,
  type ConfigMapApi,
  describeApiError,
  statusCodeOf,
  withTimeout,
} from './kube-api.js';

export interface ConfigMapCheckpointOptions {
  namespace: string;
  /** @default 'keventer-checkpoint' */
  name?: string;
  /** Who writes (the election identity): recorded in an annotation for people reading the ConfigMap. */
  writer: string;
  /**
   * Asked before every write: false means this replica no longer leads, and
   * the write is refused. With the resourceVersion guard this keeps a deposed
   * leader from overwriting its successor's checkpoint.
   */
  mayWrite?: () => boolean;
  /** @default 10000 */
  requestTimeoutMs?: number;
}

/** A deposed leader tried to save: not an outage, and nothing to retry. */
export class NotLeaderError extends Error {
  constructor(what: string) {
    super(`${what}: this replica no longer leads, so the new leader's checkpoint is kept`);
    this.name = 'NotLeaderError';
  }
}

/**
 * Core's CheckpointStore in a ConfigMap beside the Lease: the checkpoint
 * gzipped in binaryData. Every update carries the resourceVersion this store
 * last read or wrote, so a write from a replica that has not seen the latest
 * one is refused (409); the leader then re-reads and writes again, a deposed
 * one gives up.
 */
export class ConfigMapCheckpointStore implements CheckpointStore {
  readonly namespace: string;
  readonly name: string;
  readonly #api: ConfigMapApi;
  readonly #writer: string;
  readonly #mayWrite: () => boolean;
  readonly #timeoutMs: number;
  /** The resourceVersion last seen; undefined when the ConfigMap is not known to exist. */
  #resourceVersion: string | undefined;

  constructor(api: ConfigMapApi, options: ConfigMapCheckpointOptions) {
    this.#api = api;
    this.namespace = options.namespace;
    this.name = options.name ?? 'keventer-checkpoint';
    this.#writer = options.writer;
    this.#mayWrite = options.mayWrite ?? (() => true);
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  get #where(): string {
    return `ConfigMap ${this.namespace}/${this.name}`;
  }

  async load(): Promise<Checkpoint | undefined> {
    const found = await this.#read();
    const data = found?.binaryData?.[CHECKPOINT_KEY];
    if (data === undefined) return undefined;
    return decodeCheckpoint(Buffer.from(data, 'base64'), this.#where);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    const encoding = encodeCheckpoint(checkpoint); // JSON taken now: the snapshot may be reused
    const data = await encoding;
    if (data.length > MAX_CHECKPOINT_BYTES) {
      throw new Error(
        `the checkpoint is ${data.length} bytes gzipped (${checkpoint.seen.length} occurrences), over what a ConfigMap holds: lower the stream's seenCapacity`,
      );
    }
    for (let attempt = 0; ; attempt++) {
      if (!this.#mayWrite()) throw new NotLeaderError(`saving the checkpoint to ${this.#where}`);
      try {
        await this.#write(data, checkpoint.savedAt);
        return;
      } catch (error) {
        const code = statusCodeOf(error);
        // 409: someone wrote since we read (a previous leader's late save) or created it first: read, then try once more.
        if ((code === 409 || code === 404) && attempt === 0) {
          await this.#read();
          continue;
        }
        throw new Error(
          `saving the checkpoint to ${this.#where} failed: ${describeApiError(error)}`,
        );
      }
    }
  }

  async #read(): Promise<ConfigMap | undefined> {
    try {
      const found = await withTimeout(
        this.#api.read(this.namespace, this.name),
        this.#timeoutMs,
        `reading ${this.#where}`,
      );
      this.#resourceVersion = found.metadata?.resourceVersion;
      return found;
    } catch (error) {
      if (statusCodeOf(error) === 404) {
        this.#resourceVersion = undefined;
        return undefined;
      }
      throw new Error(
        `reading the checkpoint from ${this.#where} failed: ${describeApiError(error)}`,
      );
    }
  }

  async #write(data: Buffer, savedAt: string): Promise<void> {
    const body: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {
          'app.kubernetes.io/name': 'keventer',
          'app.kubernetes.io/component': 'checkpoint',
        },
        annotations: { 'keventer.io/written-by': this.#writer, 'keventer.io/saved-at': savedAt },
        ...(this.#resourceVersion !== undefined && { resourceVersion: this.#resourceVersion }),
      },
      binaryData: { [CHECKPOINT_KEY]: data.toString('base64') },
    };
    const written =
      this.#resourceVersion === undefined
        ? await withTimeout(
            this.#api.create(this.namespace, body),
            this.#timeoutMs,
            `creating ${this.#where}`,
          )
        : await withTimeout(
            this.#api.replace(this.namespace, this.name, body),
            this.#timeoutMs,
            `updating ${this.#where}`,
          );
    this.#resourceVersion = written.metadata?.resourceVersion;
  }
}
