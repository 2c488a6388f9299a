import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { kubeTime } from '../time.js';
import { readJsonBody } from './request-body.js';
import { kubeStatus, StatusError, sendJson, statusOf } from './status.js';

/** A coordination.k8s.io/v1 Lease as the fake stores and serves it. */
export interface LeaseObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

const PATH = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?\/?$/;
/** metav1.MicroTime parses with RFC3339Micro: exactly six fractional digits ("...00.000Z" is refused). */
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;

/**
 * The fake server's Leases (`server.leases`), for leader election: get,
 * create and update under `/apis/coordination.k8s.io/v1/namespaces/{ns}/leases`,
 * as strict as the apiserver where an elector can go wrong: an update whose
 * `metadata.resourceVersion` is not the stored one is a 409 Conflict, a
 * create of an existing name a 409 AlreadyExists, an update of a missing one
 * a 404, MicroTime fields need microseconds, and a name or namespace in the
 * body that differs from the path is a 400.
 */
export class FakeLeases {
  private readonly objects = new Map<string, LeaseObject>();
  private resourceVersion = 0;
  /** Every accepted write, in order: which holder wrote what. */
  readonly writes: { verb: 'create' | 'update'; lease: LeaseObject }[] = [];

  get(namespace: string, name: string): LeaseObject | undefined {
    const found = this.objects.get(`${namespace}/${name}`);
    return found && structuredClone(found);
  }

  /** Creates or replaces a Lease's spec as an outside writer would (another replica, an operator). */
  put(namespace: string, name: string, spec: LeaseObject['spec']): LeaseObject {
    return this.store(namespace, name, { spec }, this.objects.get(`${namespace}/${name}`));
  }

  /** Answers a Lease request and returns true, or returns false for other paths. */
  answer(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const match = PATH.exec(url.pathname);
    if (!match) return false;
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    this.route(req, res, namespace, name).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, ...statusOf(error));
    });
    return true;
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string | undefined,
  ): Promise<void> {
    if (req.method === 'GET' && name !== undefined) {
      sendJson(res, 200, this.existing(namespace, name));
    } else if (req.method === 'POST' && name === undefined) {
      const body = checkBody(await readJsonBody(req), namespace, undefined);
      const key = `${namespace}/${body.metadata.name}`;
      if (this.objects.has(key)) {
        const message = `leases.coordination.k8s.io "${body.metadata.name}" already exists`;
        throw new StatusError(
          kubeStatus(409, 'AlreadyExists', message, { kind: 'leases', name: body.metadata.name }),
        );
      }
      sendJson(res, 201, this.store(namespace, body.metadata.name, body, undefined, 'create'));
    } else if (req.method === 'PUT' && name !== undefined) {
      const body = checkBody(await readJsonBody(req), namespace, name);
      const current = this.existing(namespace, name);
      const expected = body.metadata.resourceVersion;
      if (expected !== undefined && expected !== current.metadata.resourceVersion) {
        const message = `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`;
        throw new StatusError(kubeStatus(409, 'Conflict', message, { kind: 'leases', name }));
      }
      sendJson(res, 200, this.store(namespace, name, body, current, 'update'));
    } else {
      const message = 'the server does not allow this method on the requested resource';
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', message));
    }
  }

  private existing(namespace: string, name: string): LeaseObject {
    const found = this.objects.get(`${namespace}/${name}`);
    if (!found) {
      const message = `leases.coordination.k8s.io "${name}" not found`;
      throw new StatusError(kubeStatus(404, 'NotFound', message, { kind: 'leases', name }));
    }
    return structuredClone(found);
  }

  private store(
    namespace: string,
    name: string,
    body: Pick<LeaseBody, 'spec'> & { metadata?: LeaseBody['metadata'] },
    previous: LeaseObject | undefined,
    verb?: 'create' | 'update',
  ): LeaseObject {
    const stored: LeaseObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace,
        uid: previous?.metadata.uid ?? randomUUID(),
        resourceVersion: String(++this.resourceVersion),
        creationTimestamp: previous?.metadata.creationTimestamp ?? kubeTime(new Date()),
        ...(body.metadata?.annotations && { annotations: { ...body.metadata.annotations } }),
        ...(body.metadata?.labels && { labels: { ...body.metadata.labels } }),
      },
      spec: { ...body.spec },
    };
    this.objects.set(`${namespace}/${name}`, stored);
    if (verb) this.writes.push({ verb, lease: structuredClone(stored) });
    return structuredClone(stored);
  }
}

interface LeaseBody {
  metadata: {
    name: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: LeaseObject['spec'];
}

/** The apiserver's decoding and validation of a Lease body, as far as an elector can get it wrong. */
function checkBody(raw: unknown, namespace: string, pathName: string | undefined): LeaseBody {
  const invalid = (field: string, why: string): never => {
    const message = `Lease.coordination.k8s.io "${pathName ?? ''}" is invalid: ${field}: ${why}`;
    throw new StatusError(kubeStatus(422, 'Invalid', message, { kind: 'Lease' }));
  };
  const body = (raw ?? {}) as Partial<LeaseBody> & { kind?: string; apiVersion?: string };
  if (body.kind !== undefined && body.kind !== 'Lease') {
    throw new StatusError(kubeStatus(400, 'BadRequest', `kind ${body.kind} is not Lease`));
  }
  if (body.apiVersion !== undefined && body.apiVersion !== 'coordination.k8s.io/v1') {
    throw new StatusError(kubeStatus(400, 'BadRequest', `apiVersion ${body.apiVersion}`));
  }
  const meta = body.metadata as (LeaseBody['metadata'] & { namespace?: string }) | undefined;
  const name = meta?.name ?? pathName;
  if (!name) invalid('metadata.name', 'Required value: name or generateName is required');
  if (pathName !== undefined && name !== pathName) {
    const message = `the name of the object (${name}) does not match the name on the URL (${pathName})`;
    throw new StatusError(kubeStatus(400, 'BadRequest', message));
  }
  if (meta?.namespace !== undefined && meta.namespace !== namespace) {
    const message =
      'the namespace of the provided object does not match the namespace sent on the request';
    throw new StatusError(kubeStatus(400, 'BadRequest', message));
  }
  const spec = body.spec ?? {};
  for (const field of ['acquireTime', 'renewTime'] as const) {
    const value = spec[field];
    if (value !== undefined && value !== null && !MICRO_TIME.test(String(value))) {
      const message = `Lease in version "v1" cannot be handled as a Lease: parsing time "${value}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse`;
      throw new StatusError(kubeStatus(400, 'BadRequest', message));
    }
  }
  const duration = spec.leaseDurationSeconds;
  if (
    duration !== undefined &&
    duration !== null &&
    !(Number.isInteger(duration) && duration > 0)
  ) {
    invalid('spec.leaseDurationSeconds', `Invalid value: ${duration}: must be greater than 0`);
  }
  if (
    spec.leaseTransitions !== undefined &&
    spec.leaseTransitions !== null &&
    spec.leaseTransitions < 0
  ) {
    invalid('spec.leaseTransitions', 'Invalid value: must be greater than or equal to 0');
  }
  const annotations = meta?.annotations;
  if (annotations && Buffer.byteLength(JSON.stringify(annotations)) > 256 * 1024) {
    invalid('metadata.annotations', 'Too long: must have at most 262144 bytes');
  }
  return { metadata: { ...meta, name: name as string }, spec };
}
