import dns from 'node:dns';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it, onTestFinished } from 'vitest';
import { sls } from '../src/index.js';
import { podEvents } from './support/events.js';

/** The ECS metadata service in hardened mode: a token from PUT /latest/api/token, then the GET with it. */
async function metadataService(region: string | undefined) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.method === 'PUT' && req.url === '/latest/api/token') return res.end('tok-123');
    if (req.headers['x-aliyun-ecs-metadata-token'] !== 'tok-123') return res.writeHead(401).end();
    if (req.url === '/latest/meta-data/region-id' && region) return res.end(region);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const options = (metadataEndpoint: string) => ({
  project: 'k8s-prod',
  logStore: 'events',
  accessKeyId: 'id',
  accessKeySecret: 'secret',
  metadataEndpoint,
});
const write = (sink: Awaited<ReturnType<typeof sls>>) =>
  sink
    .write(podEvents(1), { signal: AbortSignal.timeout(10_000) })
    .catch((e: Error & { retryable: boolean }) => e);

it("without regionId or endpoint, reads the node's region from the ECS metadata once, and writes to its intranet endpoint", async () => {
  const metadata = await metadataService('cn-shanghai');
  // The name lookups fail here, whatever the machine's DNS: the test sees which host was asked.
  const asked: string[] = [];
  const lookup = dns.lookup;
  dns.lookup = ((hostname: string, _options: unknown, callback: (e: Error) => void) => {
    asked.push(hostname);
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  }) as typeof dns.lookup;
  onTestFinished(() => {
    dns.lookup = lookup;
  });
  const sink = await sls(options(metadata.url), { env: {} });
  const first = await write(sink);
  expect(first).toMatchObject({ retryable: true });
  await write(sink);
  expect(asked).toEqual([
    'k8s-prod.cn-shanghai-intranet.log.aliyuncs.com',
    'k8s-prod.cn-shanghai-intranet.log.aliyuncs.com',
  ]);
  expect(metadata.seen).toEqual(['PUT /latest/api/token', 'GET /latest/meta-data/region-id']);
});

it('without the region in the metadata, the write is retryable and says what to give; the next write asks again', async () => {
  const metadata = await metadataService(undefined);
  const sink = await sls(options(metadata.url), { env: {} });
  const error = await write(sink);
  expect(error).toMatchObject({ retryable: true });
  expect(String(error)).toMatch(/region from the ECS metadata .*HTTP 404.*give regionId/);
  await write(sink);
  expect(metadata.seen.filter((r) => r.startsWith('GET'))).toHaveLength(2);
});
