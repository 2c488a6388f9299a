import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, sendJson } from '../src/kit/http.js';
import type { SinkError } from '../src/sink/contract/errors.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = [];
  const port = await listen(
    createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      handler(req, res);
    }),
  );
  return { url: `http://127.0.0.1:${port}`, requests };
}

const failure = (promise: Promise<unknown>): Promise<SinkError> =>
  promise.then(
    () => expect.fail('resolved'),
    (error: SinkError) => error,
  );

describe('sendJson reads a bounded answer', () => {
  it('stops reading an endless 200 body after MAX_ANSWER_BYTES', async () => {
    let sent = 0;
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let open = true;
      res.on('close', () => {
        open = false;
      });
      const pump = () => {
        while (open && res.write(chunk)) sent += chunk.length;
        if (open) res.once('drain', pump);
      };
      pump();
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const answer = await sendJson('t', url, {}, { signal: AbortSignal.timeout(5000) });
    const ms = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.truncated).toBe(true);
    expect(answer.text.length).toBe(MAX_ANSWER_BYTES);
    expect(ms).toBeLessThan(2000);
    expect(sent).toBeLessThan(64 * 2 ** 20);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 2 ** 20);
  });

  it('reads a short answer whole, multi-byte characters intact', async () => {
    const { url } = await serve((_req, res) => res.end('{"errmsg":"中文 ✓"}'));
    const answer = await sendJson('t', url, {}, { signal: AbortSignal.timeout(5000) });
    expect(answer).toMatchObject({ text: '{"errmsg":"中文 ✓"}', truncated: false });
  });
});

describe('sendJson bodies and answer bounds', () => {
  it('sends bytes as they are (gzipped JSON) and reads up to maxAnswerBytes', async () => {
    const { gzipSync, gunzipSync } = await import('node:zlib');
    let received: { encoding?: string; json: string } | undefined;
    const { url } = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received = {
          encoding: req.headers['content-encoding'],
          json: gunzipSync(Buffer.concat(chunks)).toString(),
        };
        res.end('y'.repeat(100_000));
      });
    });
    const answer = await sendJson('t', url, gzipSync('[{"a":1}]'), {
      signal: AbortSignal.timeout(5000),
      headers: { 'content-encoding': 'gzip' },
      maxAnswerBytes: 64 * 1024,
    });
    expect(received).toEqual({ encoding: 'gzip', json: '[{"a":1}]' });
    expect(answer).toMatchObject({ truncated: true });
    expect(answer.text.length).toBe(64 * 1024);
  });
});

describe('sendJson follows no redirect', () => {
  it.each([301, 302, 307, 308])(
    '%i is a permanent error naming where it points; nothing reaches it',
    async (status) => {
      const other = await serve((_req, res) => res.end('ok'));
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(status, { location: `${other.url}/services/T0/B0/LOCATION-SECRET` });
        res.end();
      });
      const error = await failure(
        sendJson(
          'slack',
          `${url}/services/T0/B0/PATH-SECRET`,
          { text: 'x' },
          {
            signal: AbortSignal.timeout(5000),
          },
        ),
      );
      expect(error).toMatchObject({ retryable: false, statusCode: status });
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain(`redirects to ${other.url}`);
      expect(error.message).toContain('follows no redirect');
      expect(error.message).not.toMatch(/SECRET/);
      expect(requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
    },
  );
});

describe('sendJson says why a connection failed', () => {
  it('a self-signed certificate is permanent, with its code and how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
        ].concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
        { stdio: 'ignore' },
      );
      const server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => res.end('{"errcode":0}'),
      );
      const port = await listen(server);
      const error = await failure(
        sendJson(
          'dingtalk',
          `https://127.0.0.1:${port}/robot/send?access_token=TLS-SECRET`,
          {},
          {
            signal: AbortSignal.timeout(5000),
          },
        ),
      );
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
      expect(error.message).toContain('self-signed certificate');
      expect(error.message).not.toContain('TLS-SECRET');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refused connection is retryable, with the cause', async () => {
    const { url } = await serve((_req, res) => res.end());
    const closed = servers.pop() as Server;
    closed.closeAllConnections();
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(sendJson('t', url, {}, { signal: AbortSignal.timeout(5000) }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      /network error \(ECONNREFUSED\): TypeError: fetch failed: connect ECONNREFUSED/,
    );
  });
});
