import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { expect, it } from 'vitest';
import '../src/index.js';

// Only against a real server: ES_URL=http://localhost:9200 (ES_USER/ES_PASSWORD when secured).
const ES_URL = process.env.ES_URL;

it.runIf(ES_URL)(
  'a replayed batch leaves one document per occurrence on a real server',
  async () => {
    const index = `keventer-test-${Date.now()}`;
    const auth = process.env.ES_USER
      ? `&esUserName=${process.env.ES_USER}&esUserSecret=$ES_PASSWORD`
      : '';
    const { sink } = await createSinkFromUri(`elasticsearch:${ES_URL}?index=${index}${auth}`);
    const batch = Array.from({ length: 3 }, (_, i) =>
      normalizeEvent(buildEvent({ metadata: { uid: `${index}-${i}` }, reason: 'BackOff' })),
    );
    const signal = new AbortController().signal;
    await sink.write(batch, { signal });
    await sink.write(batch, { signal });
    const headers: Record<string, string> = process.env.ES_USER
      ? {
          authorization: `Basic ${Buffer.from(`${process.env.ES_USER}:${process.env.ES_PASSWORD}`).toString('base64')}`,
        }
      : {};
    await fetch(`${ES_URL}/${index}-*/_refresh`, { method: 'POST', headers });
    const count = await fetch(`${ES_URL}/${index}-*/_count`, { headers }).then(
      (r) => r.json() as Promise<{ count: number }>,
    );
    expect(count.count).toBe(3);
  },
);
