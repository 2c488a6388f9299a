import { expect, it } from 'vitest';
import { readStatuses } from '../src/answer.js';
import { DEFAULT_API_HOST } from '../src/index.js';
import { batchUrl } from '../src/write-batch.js';

it('reads a whole answer, and the complete statuses of one cut at the read bound', () => {
  const answer = '[{"status":202},{"status":400,"error":"bad {\\"x\\"}"},{"status":202}]';
  expect(readStatuses(answer, false)).toEqual([
    { status: 202 },
    { status: 400, error: 'bad {"x"}' },
    { status: 202 },
  ]);
  // Cut inside the third status: the two before it are read, the third is not.
  expect(readStatuses(answer.slice(0, -8), true)).toEqual([
    { status: 202 },
    { status: 400, error: 'bad {"x"}' },
  ]);
});

it('is undefined for an answer that is no status array', () => {
  expect(readStatuses('{"error":"x"}', false)).toBeUndefined();
  expect(readStatuses('[{"ok":true}]', false)).toBeUndefined();
  expect(readStatuses('<html>', true)).toBeUndefined();
  expect(readStatuses('not json', false)).toBeUndefined();
});

it('posts to /1/batch/<dataset> under the US, EU or a proxy host, the dataset URL-encoded', () => {
  expect(batchUrl(DEFAULT_API_HOST, 'k8s').href).toBe('https://api.honeycomb.io/1/batch/k8s');
  expect(batchUrl('https://api.eu1.honeycomb.io', 'k8s events').href).toBe(
    'https://api.eu1.honeycomb.io/1/batch/k8s%20events',
  );
  expect(batchUrl('https://proxy.internal/hc', 'a?b#c').href).toBe(
    'https://proxy.internal/hc/1/batch/a%3Fb%23c',
  );
});
