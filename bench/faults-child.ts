// One run of the soak's forwarder process, seen from the bench: its status lines
// (kept, since a SIGKILL leaves no report), its peak RSS, and its exit.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ForwarderReport } from '@keventer/core';
import type { ForwarderConfig, ForwarderStatus } from './faults-forwarder.js';

const script = new URL('./faults-forwarder.js', import.meta.url).pathname;

export class ForwarderProcess {
  readonly #child: ChildProcessByStdio<null, Readable, null>;
  /** The last status line, and the peak RSS any of them reported. */
  status: ForwarderStatus | undefined;
  maxRssMib = 0;
  report: ForwarderReport | undefined;
  /** Since when the stream has been watching with no reconnect (0: not now). */
  steadySince = 0;
  readonly watching: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(config: ForwarderConfig) {
    this.#child = spawn(process.execPath, [script, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let watching: () => void = () => {};
    this.watching = new Promise((resolve, reject) => {
      watching = resolve;
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`the forwarder exited (${signal ?? code}) before it watched`)),
      );
    });
    this.watching.catch(() => {}); // awaited by the caller; an exit after watching is no error here
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      if (line === 'watching') return watching();
      const parsed = JSON.parse(line) as ForwarderStatus | { report: ForwarderReport };
      if ('report' in parsed) this.report = parsed.report;
      else {
        const steady = parsed.phase === 'watching' && parsed.reconnects === this.status?.reconnects;
        this.steadySince = steady ? this.steadySince || Date.now() : 0;
        this.status = parsed;
        this.maxRssMib = Math.max(this.maxRssMib, parsed.maxRssMib);
      }
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }
}
