import { createSinkFromUri } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { FakeHttpReceiver, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { influxdb } from '../src/index.js';

const PW = 'Sup3rSecretPw99';
const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
async function receiver() {
  const r = await FakeHttpReceiver.start({ status: 204 });
  receivers.push(r);
  return r;
}
const ctx = () => ({ signal: AbortSignal.timeout(10_000) });

async function configError(uri: string): Promise<SinkConfigError> {
  const error = await createSinkFromUri(uri).then(
    () => expect.unreachable('the URI should have been refused'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SinkConfigError);
  return error as SinkConfigError;
}

describe('influxdb URIs', () => {
  it("takes kube-eventer's URI verbatim: user, pw, db, withfields, cluster_name", async () => {
    const r = await receiver();
    const { sink, definition } = await createSinkFromUri(
      `influxdb:${r.url}?user=admin&pw=${PW}&db=events_db&withfields=true&cluster_name=east&insecuressl=false`,
    );
    expect(definition).toBe(influxdb);
    await sink.write([podEvent('web-1')], ctx());
    const [request] = r.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/write?db=events_db&precision=n');
    const basic = Buffer.from(`admin:${PW}`).toString('base64');
    expect(request?.headers.authorization).toBe(`Basic ${basic}`);
    expect(request?.body).toMatch(/^events,cluster_name=east,component=kubelet,/);
  });

  it("defaults to kube-eventer's: root/root, db k8s, log/events, cluster_name default", async () => {
    const r = await receiver();
    const { sink } = await createSinkFromUri(`influxdb:${r.url}`);
    await sink.write([podEvent('a'), podEvent('b')], ctx());
    expect(r.requests).toHaveLength(1); // one /write per batch
    const [request] = r.requests;
    expect(request?.url).toBe('/write?db=k8s&precision=n');
    expect(request?.headers.authorization).toBe(`Basic ${btoa('root:root')}`);
    // The event JSON in `value` is indented over lines, inside its quotes.
    const points = request?.body.match(
      /^log\/events,cluster_name=default,hostname=node-1,pod_id=/gm,
    );
    expect(points).toHaveLength(2);
  });

  it('writes to the retention policy and precision given, under a path prefix', async () => {
    const r = await receiver();
    const { sink } = await createSinkFromUri(
      `influxdb:${r.url}/influx?retention=week&precision=s&layout=series`,
    );
    await sink.write([podEvent('a')], ctx());
    expect(r.requests[0]?.url).toBe('/influx/write?db=k8s&rp=week&precision=s');
    expect(r.requests[0]?.body).toMatch(/^kube_events,.* \d{10}$/);
  });

  it('refuses bad values at startup, naming them, with pw hidden', async () => {
    const values = await configError(
      `influxdb:http://h:8086?pw=${PW}&withfields=yes&precision=h&layout=flat`,
    );
    expect(values.problems).toHaveLength(3);
    expect(values.message).toMatch(/withfields/);
    expect(values.message).toMatch(/precision/);
    expect(values.message).toMatch(/layout/);
    const unknown = await configError(`influxdb:http://h:8086?pw=${PW}&password=x`);
    expect(unknown.message).toContain("unknown option 'password'");
    const insecure = await configError(`influxdb:https://h:8086?pw=${PW}&insecuressl=true`);
    expect(insecure.message).toMatch(/insecuressl=true.*NODE_EXTRA_CA_CERTS/);
    const inUrl = await configError(`influxdb:http://u:${PW}@h:8086`);
    expect(inUrl.message).toMatch(/credentials: give them as 'user' and 'pw'/);
    for (const error of [values, unknown, insecure, inUrl]) {
      expect(`${error.message}${String(error.stack)}`).not.toContain(PW);
    }
  });
});
