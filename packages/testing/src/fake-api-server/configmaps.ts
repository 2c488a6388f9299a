import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { kubeTime } from '../time.js';
import { kubeStatus, StatusError, sendJson } from './status.js';

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
  };
  data: Record<string, string>;
}

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

  /** Creates or replaces a ConfigMap's data; returns the stored object. */
  apply(namespace: string, name: string, data: Record<string, string>): ConfigMapObject {
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
      },
      data: { ...data },
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
    if (req.method !== 'GET') {
      const message = 'the server does not allow this method on the requested resource';
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', message));
    }
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
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
