import { KubeApiError, type Logger } from '@keventer/core';
import type { KubeClient } from '@keventer/core/kit';
import { type BodyRenderer, compileBodyTemplate } from './body.js';

/** What the sink knows of its ConfigMap template; `error` is set while the last good one is kept. */
export interface TemplateState {
  /** `ConfigMap kube-system/webhook-body` */
  readonly source: string;
  /** The resourceVersion of the template in use. */
  readonly resourceVersion: string;
  /** The current problem re-reading it: a failed read, or a new version that does not compile. */
  readonly error?: string;
}

export interface ConfigMapRef {
  readonly namespace: string;
  readonly name: string;
}

interface ConfigMapObject {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
}

type Client = Pick<KubeClient, 'getJson'>;

export interface ConfigMapTemplateOptions {
  readonly logger: Logger;
  readonly refreshMs: number;
  /** The sink's max_body_bytes. @default 1 MiB */
  readonly maxBodyBytes?: number;
}

const READ_TIMEOUT_MS = 10_000;

/**
 * kube-eventer's `custom_body_configmap`: the body template is the
 * ConfigMap's `data.content`, read through the Kubernetes API at startup
 * (any problem is a startup error) and re-read every `refreshMs`. A GET per
 * interval needs only `get` on that one ConfigMap (RBAC `resourceNames`), and
 * no watch to keep alive. A changed version that does not compile, or a read
 * that fails, keeps the last good template; the problem is logged once (warn),
 * its recovery too (info), and shown in `state.error`.
 */
export class ConfigMapTemplate {
  readonly #client: Client;
  readonly #ref: ConfigMapRef;
  readonly #logger: Logger;
  readonly #refreshMs: number;
  readonly #maxBodyBytes: number | undefined;
  readonly #stop = new AbortController();
  #render: BodyRenderer;
  #resourceVersion: string;
  /** The resourceVersion last tried, good or bad: a bad one is not compiled again. */
  #triedVersion: string;
  #readError: string | undefined;
  #templateError: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    client: Client,
    ref: ConfigMapRef,
    options: ConfigMapTemplateOptions,
    first: { render: BodyRenderer; resourceVersion: string },
  ) {
    this.#client = client;
    this.#ref = ref;
    this.#logger = options.logger;
    this.#refreshMs = options.refreshMs;
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#render = first.render;
    this.#resourceVersion = first.resourceVersion;
    this.#triedVersion = first.resourceVersion;
  }

  /** Reads and compiles the template; throws (with a message for the user) if it cannot. */
  static async load(
    client: Client,
    ref: ConfigMapRef,
    options: ConfigMapTemplateOptions,
  ): Promise<ConfigMapTemplate> {
    const where = `ConfigMap ${ref.namespace}/${ref.name}`;
    const object = await read(client, ref, AbortSignal.timeout(READ_TIMEOUT_MS)).catch(
      (error: unknown) => {
        if (error instanceof KubeApiError && error.statusCode === 404) {
          throw new Error(`${where} (custom_body_configmap) does not exist`);
        }
        throw new Error(`could not read ${where}: ${(error as Error).message}`);
      },
    );
    const render = compile(object, where, options.maxBodyBytes);
    const first = { render, resourceVersion: versionOf(object) };
    const template = new ConfigMapTemplate(client, ref, options, first);
    template.#schedule();
    return template;
  }

  /** Renders with the last good template. */
  readonly render: BodyRenderer = (event) => this.#render(event);

  get state(): TemplateState {
    const state = { source: this.#source, resourceVersion: this.#resourceVersion };
    const error = this.#error;
    return error === undefined ? state : { ...state, error };
  }

  /** Stops re-reading. */
  close(): void {
    this.#stop.abort();
    clearTimeout(this.#timer);
  }

  get #source(): string {
    return `ConfigMap ${this.#ref.namespace}/${this.#ref.name}`;
  }

  #schedule(): void {
    if (this.#stop.signal.aborted) return;
    this.#timer = setTimeout(() => void this.#refresh(), this.#refreshMs);
    // Re-reading must not keep a finished process alive.
    this.#timer.unref();
  }

  /** Reads the ConfigMap and switches to a new, valid version; then schedules the next read. */
  async #refresh(): Promise<void> {
    const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
    try {
      const object = await read(this.#client, this.#ref, signal).catch((error: Error) => {
        if (!this.#stop.signal.aborted)
          this.#problems({ read: `could not re-read it: ${error.message}` });
        return undefined;
      });
      if (object) this.#use(object);
    } finally {
      this.#schedule();
    }
  }

  #use(object: ConfigMapObject): void {
    const version = versionOf(object);
    if (version === this.#triedVersion) {
      this.#problems({ read: undefined });
      return;
    }
    this.#triedVersion = version;
    try {
      this.#render = compile(object, this.#source, this.#maxBodyBytes);
    } catch (error) {
      const problem = `resourceVersion ${version} is not used: ${(error as Error).message}`;
      this.#problems({ read: undefined, template: problem });
      return;
    }
    this.#resourceVersion = version;
    // The reload line says it all: no separate "usable again".
    this.#readError = undefined;
    this.#templateError = undefined;
    this.#logger.info(
      { source: this.#source, resourceVersion: version },
      `webhook: reloaded the body template from ${this.#source}`,
    );
  }

  // A failed read hides a template problem while it lasts; each change is logged once.
  #problems(change: { read?: string | undefined; template?: string | undefined }): void {
    const before = this.#error;
    if ('read' in change) this.#readError = change.read;
    if ('template' in change) this.#templateError = change.template;
    const now = this.#error;
    if (now === before) return;
    if (now === undefined) {
      this.#logger.info({ source: this.#source }, `webhook: ${this.#source} is usable again`);
      return;
    }
    this.#logger.warn(
      { source: this.#source, resourceVersion: this.#resourceVersion },
      `webhook: ${this.#source}: ${now}; keeping the template of resourceVersion ${this.#resourceVersion}`,
    );
  }

  get #error(): string | undefined {
    return this.#readError ?? this.#templateError;
  }
}

function read(client: Client, ref: ConfigMapRef, signal: AbortSignal): Promise<ConfigMapObject> {
  const path = `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/configmaps/${encodeURIComponent(ref.name)}`;
  return client.getJson<ConfigMapObject>(path, {}, signal, READ_TIMEOUT_MS);
}

function versionOf(object: ConfigMapObject): string {
  return object.metadata?.resourceVersion ?? '';
}

function compile(
  object: ConfigMapObject,
  where: string,
  maxBodyBytes: number | undefined,
): BodyRenderer {
  const content = object.data?.content;
  if (content === undefined) throw new Error(`${where} has no data.content (the body template)`);
  return compileBodyTemplate(content, where, maxBodyBytes);
}
