#!/usr/bin/env node
import { main } from './main.js';

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    // A second signal while draining: give up the drain.
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  });
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stop: stop.signal,
})
  .then((code) => {
    process.exitCode = code;
    // Sinks and sockets closed; a stray timer must not keep a stopped forwarder alive.
    setTimeout(() => process.exit(code), 2000).unref();
  })
  .catch((error: unknown) => {
    process.stderr.write(`keventer: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
