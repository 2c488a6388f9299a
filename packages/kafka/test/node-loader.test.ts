import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * kafkajs is CommonJS, and Node's ESM loader sees only some of its exports by
 * name (CompressionCodecs is not one): vitest's interop hides a named import
 * that fails in Node. This loads the sources in a plain Node process.
 */
describe("the sink under Node's own ESM loader", () => {
  it('loads and builds a sink with every codec', async () => {
    const script = `
      const { kafka, COMPRESSIONS } = await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});
      for (const compression of COMPRESSIONS) await kafka({ brokers: ['127.0.0.1:1'], compression });
      console.log('ok');`;
    const { stdout } = await run(
      process.execPath,
      // The sources of core too: a clean clone runs the unit tier before any build.
      ['--import', 'tsx', '--conditions=@keventer/source', '--input-type=module', '-e', script],
      {
        cwd: new URL('..', import.meta.url).pathname,
        timeout: 30_000,
      },
    );
    expect(stdout.trim()).toBe('ok');
  }, 40_000);
});
