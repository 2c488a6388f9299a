import { afterEach, describe, expect, it } from 'vitest';
import { FakeKubeApiServer } from '../src/index.js';

/** The fields these tests read of an object or a Status. */
interface Answer {
  metadata: { resourceVersion: string };
  spec: { holderIdentity?: string };
  binaryData?: Record<string, string>;
  code: number;
  reason: string;
  message: string;
}

const servers: FakeKubeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function send(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const server = servers[0] ?? (await FakeKubeApiServer.start());
  if (!servers.includes(server)) servers.push(server);
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: 'Bearer fake', 'content-type': contentType },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/ops/leases';
const lease = (spec: object, metadata: object = {}) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'keventer', ...metadata },
  spec,
});

describe('the fake Leases, as strict as the apiserver', () => {
  it('creates, reads and updates with resourceVersion conflicts like the apiserver', async () => {
    const created = await send(
      'POST',
      LEASES,
      lease({ holderIdentity: 'a', renewTime: '2026-01-01T00:00:00.123456Z' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.metadata.resourceVersion).toBe('1');
    expect((await send('POST', LEASES, lease({}))).body).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    expect((await send('GET', `${LEASES}/keventer`)).body.spec.holderIdentity).toBe('a');

    const update = (rv: string) =>
      send('PUT', `${LEASES}/keventer`, lease({ holderIdentity: 'b' }, { resourceVersion: rv }));
    expect((await update('1')).status).toBe(200);
    const stale = await update('1');
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on leases.coordination.k8s.io "keventer": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await send('PUT', `${LEASES}/other`, lease({}, { name: 'other' }))).body).toMatchObject(
      {
        code: 404,
        reason: 'NotFound',
      },
    );
  });

  it('refuses what the apiserver refuses: millisecond MicroTimes, a name unlike the path, bad durations, other media types', async () => {
    const millis = await send('POST', LEASES, lease({ renewTime: '2026-01-01T00:00:00.123Z' }));
    expect(millis.status).toBe(400);
    expect(millis.body.message).toMatch(/cannot parse/);
    await send('POST', LEASES, lease({}));
    expect((await send('PUT', `${LEASES}/keventer`, lease({}, { name: 'x' }))).status).toBe(400);
    expect(
      (await send('PUT', `${LEASES}/keventer`, lease({ leaseDurationSeconds: 0 }))).body,
    ).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
    expect((await send('PUT', `${LEASES}/keventer`, lease({}), 'text/plain')).status).toBe(415);
  });
});

describe('the fake ConfigMaps take writes', () => {
  const CONFIGMAPS = '/api/v1/namespaces/ops/configmaps';
  it('create, conflict, binaryData, and the 1 MiB limit', async () => {
    const body = (extra: object) => ({
      metadata: { name: 'cp', ...extra },
      binaryData: { 'a.gz': Buffer.from('x').toString('base64') },
    });
    expect((await send('POST', CONFIGMAPS, body({}))).status).toBe(201);
    expect((await send('PUT', `${CONFIGMAPS}/cp`, body({ resourceVersion: '1' }))).status).toBe(
      200,
    );
    expect(
      (await send('PUT', `${CONFIGMAPS}/cp`, body({ resourceVersion: '1' }))).body,
    ).toMatchObject({ code: 409, reason: 'Conflict' });
    expect((await send('GET', `${CONFIGMAPS}/cp`)).body.binaryData).toEqual({ 'a.gz': 'eA==' });
    const huge = { metadata: { name: 'cp' }, data: { big: 'x'.repeat(1024 * 1024 + 1) } };
    expect((await send('PUT', `${CONFIGMAPS}/cp`, huge)).body).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
    expect(
      (await send('POST', CONFIGMAPS, { metadata: { name: 'k' }, data: { 'bad key': 'v' } }))
        .status,
    ).toBe(422);
  });
});
