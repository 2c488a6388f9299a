import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The shared mock cluster that scripts/kafka-mock/start.sh started (KAFKA_BROKERS). */
export function sharedBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: run scripts/kafka-mock/start.sh DIR and source DIR/env (or npm run test:services)',
    );
  }
  return brokers.split(',');
}

/** A topic no other test writes to. */
export const freshTopic = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * A mock cluster of this test's own (KAFKA_MOCK_BIN, from start.sh), whose
 * brokers it can take down and bring up again, and whose next requests it
 * can fail with a Kafka error code (scripts/kafka-mock/mock.c).
 */
export class OwnCluster {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
    readonly brokers: string[],
  ) {}

  static async start(args: string[] = []): Promise<OwnCluster> {
    const bin = process.env.KAFKA_MOCK_BIN;
    if (!bin) throw new Error('KAFKA_MOCK_BIN is not set: source the env that start.sh wrote');
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout });
    const first = await nextLine(lines, child);
    if (!first.startsWith('bootstraps ')) throw new Error(`kafka-mock said: ${first}`);
    return new OwnCluster(child, lines, first.slice('bootstraps '.length).split(','));
  }

  /** Sends one command (`down -1`, `up 1`, `errors 0 3 6`) and waits for its "ok". */
  async command(line: string): Promise<void> {
    const answer = nextLine(this.lines, this.child);
    this.child.stdin.write(`${line}\n`);
    const said = await answer;
    if (!said.startsWith('ok ')) throw new Error(`kafka-mock: ${line}: ${said}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

function nextLine(lines: Interface, child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const onExit = () => reject(new Error('kafka-mock exited'));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      resolve(line);
    });
  });
}

/** A message as kcat (librdkafka's consumer: its own decompression) read it. */
export interface Consumed {
  partition: number;
  offset: number;
  key: string | null;
  payload: string;
  headers: Record<string, string>;
}

/** Every message of the topic so far, read from the beginning by kcat. */
export async function readTopic(brokers: string[], topic: string): Promise<Consumed[]> {
  const { stdout } = await run(
    'kcat',
    ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-J'],
    { maxBuffer: 512 * 1024 * 1024, timeout: 30_000 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const m = JSON.parse(line) as {
        partition: number;
        offset: number;
        key: string | null;
        payload: string;
        headers?: string[];
      };
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < (m.headers ?? []).length; i += 2) {
        headers[m.headers?.[i] ?? ''] = m.headers?.[i + 1] ?? '';
      }
      return { partition: m.partition, offset: m.offset, key: m.key, payload: m.payload, headers };
    });
}

/** Reads the topic until it holds at least `count` messages (or the deadline passes). */
export async function untilConsumed(
  brokers: string[],
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<Consumed[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await readTopic(brokers, topic).catch(() => [] as Consumed[]);
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${messages.length} of ${count} messages in ${topic}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls until `predicate` holds; throws with what it saw at the deadline. */
export async function until(predicate: () => boolean, what: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
