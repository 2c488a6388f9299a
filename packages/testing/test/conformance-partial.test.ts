import {
  classifyHttpResponse,
  defineSink,
  type EventFailure,
  option,
  partialFailure,
  permanentError,
  retryableError,
  type Sink,
  sendJson,
} from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { runSinkConformance } from '../src/conformance/checks.js';
import { testSink } from '../src/conformance/vitest.js';

const CHECK =
  'reports a per-event answer as a partial failure: each failed event once, by its index';

type ReadItems = (scheme: string, items: ReadonlyArray<{ status: number }>) => EventFailure[];

/** A bulk HTTP sink: one POST of the batch, the answer's `items` judged one by one by `read`. */
function bulkSink(scheme: string, read: ReadItems) {
  return defineSink({
    scheme,
    description: 'test sink posting a batch to a bulk API',
    options: {
      endpoint: option.url({ required: true, description: 'where to POST' }),
      token: option.string({ required: true, secret: true, description: 'bearer token' }),
    },
    create: (options): Sink => ({
      name: scheme,
      async write(batch, { signal }) {
        const body = JSON.stringify(batch.map((e) => e.reason));
        const res = await sendJson(scheme, options.endpoint, body, {
          signal,
          headers: { authorization: `Bearer ${options.token}` },
        });
        const failure = classifyHttpResponse(scheme, res.status, res.headers, res.text);
        if (failure) throw failure;
        const items = (JSON.parse(res.text || '{}') as { items?: { status: number }[] }).items;
        const failures = read(scheme, items ?? []);
        if (failures.length > 0) throw partialFailure(scheme, batch, failures);
      },
    }),
  });
}

// 429 per item is retryable, any other 4xx permanent: Elasticsearch's _bulk.
const itemError = (scheme: string, status: number) =>
  status === 429
    ? retryableError(scheme, `item ${status}`)
    : permanentError(scheme, `item ${status}`);

const judgeItems: ReadItems = (scheme, items) =>
  items.flatMap((item, index) =>
    item.status >= 300 ? [{ index, error: itemError(scheme, item.status) }] : [],
  );

const answers = {
  partial: {
    answer: {
      status: 200,
      body: JSON.stringify({
        items: [{ status: 201 }, { status: 429 }, { status: 400 }, { status: 201 }],
      }),
    },
    failed: [
      { index: 1, retryable: true },
      { index: 2, retryable: false },
    ],
  },
};
const options = (url: string) => ({ endpoint: url, token: 'bulk-s3cret-token' });

testSink({
  definition: bulkSink('conformance-bulk', judgeItems),
  options,
  answers,
  secrets: ['bulk-s3cret-token'],
});

describe('the partial check can fail', () => {
  async function failureOf(read: ReadItems, scheme: string) {
    const results = await runSinkConformance({
      definition: bulkSink(scheme, read),
      options,
      answers,
    });
    return results.find((r) => r.name === CHECK)?.error?.message;
  }

  it('flags indices off by one, listed twice, or a sink that ignores per-item answers', async () => {
    expect(
      await failureOf(
        (scheme, items) => judgeItems(scheme, items).map((f) => ({ ...f, index: f.index + 2 })),
        'conformance-off-by-two',
      ),
    ).toMatch(/cannot be used: failure 1 has index 4, not one of the batch's 0..3/);
    expect(
      await failureOf(
        (scheme, items) => [...judgeItems(scheme, items), ...judgeItems(scheme, items)],
        'conformance-twice',
      ),
    ).toMatch(/index 1 is listed twice/);
    expect(await failureOf(() => [], 'conformance-blind')).toMatch(
      /write resolved although the service answered with an error/,
    );
  });

  it('flags a wrong retryability, and a whole-batch error for a per-item answer', async () => {
    const allPermanent: ReadItems = (scheme, items) =>
      items.flatMap((item, index) =>
        item.status >= 300 ? [{ index, error: permanentError(scheme, 'no') }] : [],
      );
    expect(await failureOf(allPermanent, 'conformance-permanent')).toMatch(
      /the failed events or their retryability differ/,
    );
    const whole: ReadItems = (scheme) => {
      throw retryableError(scheme, 'some items failed');
    };
    expect(await failureOf(whole, 'conformance-whole')).toMatch(/must be thrown as partialFailure/);
  });

  it('passes a sink without per-event answers', async () => {
    const results = await runSinkConformance({
      definition: bulkSink('conformance-plain', judgeItems),
      options,
    });
    expect(results.find((r) => r.name === CHECK)).toEqual({ name: CHECK });
  });
});
