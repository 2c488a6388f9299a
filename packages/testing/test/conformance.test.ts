import { classifyHttpResponse, defineSink, option, type Sink, sendJson } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { runSinkConformance } from '../src/conformance/checks.js';
import { testSink } from '../src/conformance/vitest.js';

/** A small but real HTTP sink: one POST of the batch as JSON, errors classified by status. */
function httpSink(
  scheme: string,
  send: (url: string, body: string, signal: AbortSignal, token: string) => Promise<void>,
) {
  return defineSink({
    scheme,
    description: 'test sink posting a batch as JSON',
    options: {
      endpoint: option.url({ required: true, description: 'where to POST' }),
      token: option.string({ required: true, secret: true, description: 'bearer token' }),
    },
    create: (options): Sink => ({
      name: scheme,
      write: (batch, { signal }) =>
        send(options.endpoint, JSON.stringify(batch.map((e) => e.reason)), signal, options.token),
    }),
  });
}

// core's sendJson: no redirect followed, a bounded answer.
async function post(scheme: string, url: string, body: string, signal: AbortSignal, token: string) {
  const res = await sendJson(scheme, url, body, {
    signal,
    headers: { authorization: `Bearer ${token}` },
  });
  const failure = classifyHttpResponse(scheme, res.status, res.headers, res.text);
  if (failure) throw failure;
}

const good = httpSink('conformance-good', (url, body, signal, token) =>
  post('conformance-good', url, body, signal, token),
);

testSink({
  definition: good,
  options: (url) => ({ endpoint: url, token: 's3cret-token-value' }),
  invalidOptions: [{ options: () => ({ endpoint: 'not a url', token: 'x' }), error: /endpoint/ }],
  secrets: ['s3cret-token-value'],
});

describe('the conformance suite can fail', () => {
  it('flags a sink that retries by itself', async () => {
    const retrying = httpSink('conformance-retrying', async (url, body, signal, token) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await post('conformance-retrying', url, body, signal, token);
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    });
    const results = await runSinkConformance({
      definition: retrying,
      options: (url) => ({ endpoint: url, token: 't' }),
    });
    const failed = results.filter((r) => r.error).map((r) => r.name);
    expect(failed).toContain(
      'reports a retryable failure as retryable, after one request (no retry inside the sink)',
    );
    expect(failed).toContain('reports a permanent failure as permanent, without a retry');
  });

  it('flags a sink that swallows errors or leaks its token', async () => {
    const swallowing = httpSink('conformance-swallowing', async (url, body, signal) => {
      await fetch(url, { method: 'POST', body, signal }).catch(() => {});
    });
    // Core masks the options declared secret; a key the sink holds elsewhere it cannot know.
    const hiddenKey = 'tok-XYZ-123';
    const leaking = httpSink('conformance-leaking', async (url, body, signal, token) => {
      await post('conformance-leaking', url, body, signal, token).catch((error: Error) => {
        error.message += ` (key ${hiddenKey})`;
        throw error;
      });
    });
    const swallowed = await runSinkConformance({
      definition: swallowing,
      options: (url) => ({ endpoint: url, token: 't' }),
    });
    expect(swallowed.filter((r) => r.error).map((r) => r.name)).toEqual([
      'reports a retryable failure as retryable, after one request (no retry inside the sink)',
      "passes the server's Retry-After through",
      'reports a permanent failure as permanent, without a retry',
      'follows no redirect: a 307 is permanent and nothing goes where it points',
      'keeps its secrets out of errors when the service echoes the request back',
    ]);
    const leaked = await runSinkConformance({
      definition: leaking,
      options: (url) => ({ endpoint: url, token: 't' }),
      secrets: [hiddenKey],
    });
    expect(leaked.find((r) => r.name.startsWith('reports a retryable'))?.error?.message).toMatch(
      /secret/,
    );
  });

  it("flags a sink that ignores kube-eventer's level, shows a secret or leaves options undescribed", async () => {
    const careless = defineSink({
      scheme: 'conformance-careless',
      description: 'test sink with careless options',
      options: {
        endpoint: option.url({ required: true, description: 'where to POST' }),
        token: option.string({ required: true, secret: true, description: 'bearer token' }),
        // Its own level option, which it never reads: nothing filters.
        level: option.enum(['Warning', 'Normal'], { description: 'x' }),
      },
      create: (options): Sink => ({
        name: 'conformance-careless',
        write: (batch, { signal }) =>
          post(
            'conformance-careless',
            options.endpoint,
            `${options.token} ${batch.length}`,
            signal,
            't',
          ),
      }),
    });
    const results = await runSinkConformance({
      definition: careless,
      options: (url) => ({ endpoint: url, token: 'tok-in-the-body-42' }),
    });
    const failed = Object.fromEntries(results.map((r) => [r.name, r.error?.message]));
    expect(
      failed["applies kube-eventer's level, namespaces and kinds options it declares"],
    ).toMatch(/level=Warning let a Normal event through/);
    expect(
      failed['shows no secret option in what it sends, its description or its errors'],
    ).toMatch(/a request body shows a secret option's value/);
    expect(failed['describes every option it accepts']).toMatch(
      /option 'level' has no description/,
    );
  });
});
