import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '../src/kit/http.js';
import {
  isSinkError,
  permanentError,
  SinkConfigError,
  type SinkError,
} from '../src/sink/contract/errors.js';
import { classifyHttpResponse } from '../src/sink/contract/http-status.js';
import type { Sink } from '../src/sink/contract/sink.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { unregisterSink } from '../src/sink/uri/registry.js';
import { parseSinkUri } from '../src/sink/uri/uri.js';

const ROUTING_KEY = 'rk-0f9e8d7c6b5a';
const URL_SECRET = 'Zx81hookpath0secret';
const schemes: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const scheme of schemes.splice(0)) unregisterSink(scheme);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A third-party sink whose secret has a name no generic rule knows. */
function pagerSink(scheme: string, write: (o: { url: string; key: string }) => Promise<void>) {
  schemes.push(scheme);
  return defineSink({
    scheme,
    description: 'a third-party pager',
    options: {
      endpoint: option.url({ description: 'where to post', required: true }),
      routing_key: option.string({ description: 'the service key', required: true, secret: true }),
      severity: option.enum(['info', 'critical'], { description: 'severity', default: 'info' }),
    },
    create: (o) => ({
      name: scheme,
      write: () => write({ url: o.endpoint, key: o.routing_key }),
    }),
  });
}

// These sinks ignore the batch: what they throw is under test.
const writeError = (sink: Sink) =>
  sink.write([], { signal: AbortSignal.timeout(5000) }).then(
    () => expect.fail('write resolved'),
    (error: SinkError) => error,
  );

describe('secrets by schema in printed URIs', () => {
  it("a third-party sink's secret option is hidden by toString and inspect", () => {
    pagerSink('pager-uri', async () => {});
    const uri = parseSinkUri(`pager-uri:https://h/x?routing_key=${ROUTING_KEY}&severity=info`, {
      env: {},
    });
    expect(uri.toString()).toBe('pager-uri:https://h/x?routing_key=***&severity=info');
    expect(inspect(uri)).not.toContain(ROUTING_KEY);
    expect(JSON.stringify({ uri })).not.toContain(ROUTING_KEY);
  });

  it("is hidden in the startup error for another bad option, and an unknown key's value too", async () => {
    const sink = pagerSink('pager-bad', async () => {});
    const error = await sink
      .fromUri(`pager-bad:https://h/x?routing_key=${ROUTING_KEY}&severity=loud&sing=SECmisspelt`, {
        env: {},
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkConfigError);
    const text = `${(error as Error).message}${String((error as Error).stack)}`;
    expect(text).toContain("option 'severity'");
    expect(text).toContain('routing_key=***');
    expect(text).toContain('sing=***');
    expect(text).not.toContain(ROUTING_KEY);
    expect(text).not.toContain('SECmisspelt');
  });

  it('header values are hidden by name, also with a typo for "="', () => {
    const uri = parseSinkUri(
      'x:http://h?header=Ocp-Apim-Subscription-Key=azk1&header=X-Auth-Key=xak2&header=Authorization:Bearer%20tok3&header=Accept=json',
      { env: {} },
    );
    const text = uri.toString();
    for (const secret of ['azk1', 'xak2', 'tok3']) expect(text).not.toContain(secret);
    expect(text).toContain('header=Ocp-Apim-Subscription-Key=***');
    expect(text).toContain('header=Authorization:***');
    expect(text).toContain('header=Accept=json');
  });
});

describe('secrets by schema in what a sink throws', () => {
  it("masks a declared secret a server echoes, in the message, the stack and the cause's", async () => {
    const sink = await pagerSink('pager-echo', async ({ key }) => {
      const echo = new Error(`upstream said: unknown routing key ${key}`);
      throw permanentError('pager-echo', `refused: routing key ${key} is not enabled`, {
        cause: echo,
      });
    })({ endpoint: 'https://h/x', routing_key: ROUTING_KEY });
    const error = await writeError(sink);
    expect(error.message).toBe('[keventer] [pager-echo] refused: routing key *** is not enabled');
    expect(String(error.stack)).not.toContain(ROUTING_KEY);
    expect((error.cause as Error).message).not.toContain(ROUTING_KEY);
  });

  it('masks it in errors a client library throws (not SinkErrors)', async () => {
    const sink = await pagerSink('pager-raw', async ({ key }) => {
      throw Object.assign(new Error(`401 for key ${key}`), { statusCode: 401 });
    })({ endpoint: 'https://h/x', routing_key: ROUTING_KEY });
    const error = await writeError(sink);
    expect(isSinkError(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, statusCode: 401 });
    expect(`${error.message}${String(error.stack)}`).not.toContain(ROUTING_KEY);
  });

  it("masks a secret URL's path when the receiver echoes it (Cannot POST /hook/<secret>)", async () => {
    const server = createServer((req, res) => {
      res.writeHead(404);
      res.end(`<pre>Cannot POST ${req.url}</pre>`);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    schemes.push('hook-echo');
    const sink = await defineSink({
      scheme: 'hook-echo',
      description: 'a webhook whose path is the secret',
      options: { endpoint: option.url({ description: 'hook', required: true, secret: true }) },
      create: (o) => ({
        name: 'hook-echo',
        async write(_batch, { signal }) {
          const answer = await sendJson('hook-echo', o.endpoint, {}, { signal });
          throw classifyHttpResponse('hook-echo', answer.status, answer.headers, answer.text);
        },
      }),
    })({ endpoint: `http://127.0.0.1:${port}/hooks/${URL_SECRET}` });
    const error = await writeError(sink);
    expect(error.message).toContain('HTTP 404 Not Found: <pre>Cannot POST ***</pre>');
    expect(String(error.stack)).not.toContain(URL_SECRET);
  });

  it('bounds an error built from a 256 KiB upstream text, fast, with the secret still masked', async () => {
    const sink = await pagerSink('pager-big', async ({ key }) => {
      throw permanentError(
        'pager-big',
        `errmsg: ${'a.'.repeat(64 * 1024)} ${key} ${'x'.repeat(128 * 1024)}`,
      );
    })({ endpoint: 'https://h/x', routing_key: ROUTING_KEY });
    const started = performance.now();
    const error = await writeError(sink);
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.message.length).toBeLessThanOrEqual(1100);
    expect(error.message.endsWith('…')).toBe(true);
  });

  it('masks a secret that straddles the cut', async () => {
    const sink = await pagerSink('pager-cut', async ({ key }) => {
      throw permanentError('pager-cut', `${'y'.repeat(1018)}${key}`);
    })({ endpoint: 'https://h/x', routing_key: ROUTING_KEY });
    const error = await writeError(sink);
    expect(error.message).not.toContain(ROUTING_KEY.slice(0, 4));
  });
});
