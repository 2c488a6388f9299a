import { expect, it } from 'vitest';
import { readStatuses } from '../src/answer.js';

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
