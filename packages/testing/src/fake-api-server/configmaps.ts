import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { kubeTime } from '../time.js';
import { readJsonBody } from './request-body.js';
import { kubeStatus, StatusError, sendJson, statusOf } from './status.js';

/** A core/v1 ConfigMap as the fake stores and serves it. */
export interface ConfigMapObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    annotations?: Record<string, string>;
  };
  data: Record<string, string>;
  /** Base64 values, as the API serves them. */
  binaryData?: Record<string, string>;
}

/** A ConfigMap's keys, as the apiserver validates them. */
const KEY = /^[-._a-zA-Z0-9]+$/;
/** The apiserver's limit on data plus binaryData. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps(?:\/([^/]+))?\/?$/;

/**
 * The fake server's ConfigMaps (`server.configMaps`): enough of the API for
 * sinks that read a template from one. Serves `GET
 * /api/v1/namespaces/{ns}/configmaps/{name}` and the namespaced list (with a
 * `metadata.name` field selector); every change bumps the resourceVersion.
 */
export class FakeConfigMaps {
  private readonly objects = new Map<string, ConfigMapObject>();
  private resourceVersion = 0;

  /** Every accepted write through the API, in order. */
  readonly writes: { verb: 'create' | 'update'; configMap: ConfigMapObject }[] = [];

  /** Creates or replaces a ConfigMap's data; returns the stored object. */
  apply(
    namespace: string,
    name: string,
    data: Record<string, string>,
    extra: Pick<ConfigMapObject, 'binaryData'> & { annotations?: Record<string, string> } = {},
  ): ConfigMapObject {
    const key = `${namespace}/${name}`;
    const previous = this.objects.get(key);
    const stored: ConfigMapObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace,
        uid: previous?.metadata.uid ?? randomUUID(),
        resourceVersion: String(++this.resourceVersion),
        creationTimestamp: previous?.metadata.creationTimestamp ?? kubeTime(new Date()),
        ...(extra.annotations && { annotations: { ...extra.annotations } }),
      },
      data: { ...data },
      ...(extra.binaryData && { binaryData: { ...extra.binaryData } }),
    };
    this.objects.set(key, stored);
    return structuredClone(stored);
  }

  /** Deletes a ConfigMap; true if it existed. */
  delete(namespace: string, name: string): boolean {
    return this.objects.delete(`${namespace}/${name}`);
  }

  get(namespace: string, name: string): ConfigMapObject | undefined {
    const found = this.objects.get(`${namespace}/${name}`);
    return found && structuredClone(found);
  }

  /** Answers a ConfigMap request and returns true, or returns false for other paths. */
  answer(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const match = PATH.exec(url.pathname);
    if (!match) return false;
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (req.method === 'POST' || req.method === 'PUT') {
      this.write(req, res, namespace, name).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else sendJson(res, ...statusOf(error));
      });
      return true;
    }
    if (req.method !== 'GET') {
      const message = 'the server does not allow this method on the requested resource';
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', message));
    }
    if (name !== undefined) {
      const found = this.objects.get(`${namespace}/${name}`);
      if (!found) {
        const message = `configmaps "${name}" not found`;
        throw new StatusError(kubeStatus(404, 'NotFound', message, { kind: 'configmaps', name }));
      }
      sendJson(res, 200, found);
      return true;
    }
    sendJson(res, 200, this.list(namespace, url.searchParams.get('fieldSelector')));
    return true;
  }

  /**
   * POST (create: 409 AlreadyExists if the name is taken) and PUT (update:
   * 404 if missing, 409 Conflict if `metadata.resourceVersion` is not the
   * stored one), validating keys, base64 and the 1 MiB limit like the apiserver.
   */
  private async write(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    pathName: string | undefined,
  ): Promise<void> {
    const creating = req.method === 'POST';
    if (creating === (pathName !== undefined)) {
      const message = 'the server does not allow this method on the requested resource';
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', message));
    }
    const body = (await readJsonBody(req)) as Partial<ConfigMapObject> | null;
    const meta = (body?.metadata ?? {}) as Partial<ConfigMapObject['metadata']>;
    const name = meta.name ?? pathName;
    const invalid = (why: string): never => {
      const message = `ConfigMap "${name ?? ''}" is invalid: ${why}`;
      throw new StatusError(kubeStatus(422, 'Invalid', message, { kind: 'ConfigMap', name }));
    };
    if (!name) invalid('metadata.name: Required value: name or generateName is required');
    if (pathName !== undefined && name !== pathName) {
      const message = `the name of the object (${name}) does not match the name on the URL (${pathName})`;
      throw new StatusError(kubeStatus(400, 'BadRequest', message));
    }
    if (meta.namespace !== undefined && meta.namespace !== namespace) {
      const message =
        'the namespace of the provided object does not match the namespace sent on the request';
      throw new StatusError(kubeStatus(400, 'BadRequest', message));
    }
    const data = body?.data ?? {};
    const binaryData = body?.binaryData ?? {};
    let bytes = 0;
    for (const [key, value] of Object.entries(data)) {
      if (!KEY.test(key))
        invalid(
          `data[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
        );
      bytes += key.length + Buffer.byteLength(value);
    }
    for (const [key, value] of Object.entries(binaryData)) {
      if (!KEY.test(key))
        invalid(
          `binaryData[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
        );
      if (key in data)
        invalid(`data[${key}]: Invalid value: "${key}": duplicate of key present in binaryData`);
      const decoded = Buffer.from(value, 'base64');
      if (decoded.toString('base64') !== value) {
        throw new StatusError(
          kubeStatus(400, 'BadRequest', `binaryData[${key}] is not valid base64`),
        );
      }
      bytes += key.length + decoded.length;
    }
    if (bytes > MAX_CONFIGMAP_BYTES)
      invalid(`[]: Too long: must have at most ${MAX_CONFIGMAP_BYTES} bytes`);
    const key = `${namespace}/${name}`;
    const current = this.objects.get(key);
    if (creating && current) {
      const message = `configmaps "${name}" already exists`;
      throw new StatusError(
        kubeStatus(409, 'AlreadyExists', message, { kind: 'configmaps', name }),
      );
    }
    if (!creating) {
      if (!current) {
        const message = `configmaps "${name}" not found`;
        throw new StatusError(kubeStatus(404, 'NotFound', message, { kind: 'configmaps', name }));
      }
      if (
        meta.resourceVersion !== undefined &&
        meta.resourceVersion !== current.metadata.resourceVersion
      ) {
        const message = `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`;
        throw new StatusError(kubeStatus(409, 'Conflict', message, { kind: 'configmaps', name }));
      }
    }
    const stored = this.apply(namespace, name as string, data, {
      ...(Object.keys(binaryData).length > 0 && { binaryData }),
      ...(meta.annotations && { annotations: meta.annotations }),
    });
    this.writes.push({ verb: creating ? 'create' : 'update', configMap: structuredClone(stored) });
    sendJson(res, creating ? 201 : 200, stored);
  }

  private list(namespace: string, fieldSelector: string | null) {
    const only = /^metadata\.name==?(.+)$/.exec(fieldSelector ?? '')?.[1];
    if (fieldSelector && only === undefined) {
      const message = `"${fieldSelector}" is not a known field selector: only "metadata.name"`;
      throw new StatusError(kubeStatus(400, 'BadRequest', message));
    }
    const items = [...this.objects.values()].filter(
      (c) => c.metadata.namespace === namespace && (only === undefined || c.metadata.name === only),
    );
    return {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata: { resourceVersion: String(this.resourceVersion) },
      items,
    };
  }
}
