import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, FileCheckpointStore } from '../src/stream/checkpoint.js';

const store = () =>
  new FileCheckpointStore(join(mkdtempSync(join(tmpdir(), 'keventer-checkpoint-')), 'c.json'));

describe('FileCheckpointStore', () => {
  it('writes exactly what JSON.stringify writes, in pieces (property)', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const checkpoint = fc.record({
      version: fc.constant(1 as const),
      resourceVersion: fc.oneof(text, fc.constant('"seen":[')),
      seen: fc.array(fc.tuple(fc.oneof(text, fc.constant('"seen":[')), fc.nat(), fc.double()), {
        maxLength: 3000,
      }),
      scope: text,
      savedAt: text,
      listCutoff: fc.option(text, { nil: undefined }),
    });
    const target = store();
    await fc.assert(
      fc.asyncProperty(checkpoint, async (c) => {
        const written = { ...c } as Checkpoint;
        if (c.listCutoff === undefined) delete (written as { listCutoff?: string }).listCutoff;
        await target.save(written);
        expect(readFileSync(target.path, 'utf8')).toBe(JSON.stringify(written));
        expect(await target.load()).toEqual(JSON.parse(JSON.stringify(written)));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps 20,000 seen uids whole across piece boundaries', async () => {
    const target = store();
    const seen = Array.from({ length: 20_000 }, (_, i) => [`uid-${i}`, i, i * 1000] as const);
    const checkpoint: Checkpoint = {
      version: 1,
      resourceVersion: '9',
      seen,
      scope: 's',
      savedAt: 't',
    };
    await target.save(checkpoint);
    expect((await target.load())?.seen).toEqual(seen);
  });
});
