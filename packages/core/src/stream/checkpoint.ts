import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where a stream stood when everything up to it had been handled: the watch
 * position and the latest handled occurrence per event uid. Resuming from it
 * neither repeats nor loses occurrences.
 */
export interface Checkpoint {
  readonly version: 1;
  /** Resume the watch after this resourceVersion. */
  readonly resourceVersion: string;
  /** `[uid, count, lastTimestampMs]` of handled occurrences, oldest first. */
  readonly seen: ReadonlyArray<readonly [string, number, number]>;
  /** What was watched (API group, namespace, selectors); a different scope does not resume. */
  readonly scope: string;
  /**
   * Only in a checkpoint saved before the first list's events were all
   * handled (an empty resourceVersion): that list's start point, 'now', 'all'
   * or an ISO time, so a restart lists from it again, neither emitting
   * everything stored nor skipping what was still in flight.
   */
  readonly listCutoff?: string;
  readonly savedAt: string;
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

export class MemoryCheckpointStore implements CheckpointStore {
  checkpoint: Checkpoint | undefined;
  saves = 0;

  async load(): Promise<Checkpoint | undefined> {
    return this.checkpoint;
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    this.checkpoint = checkpoint;
    this.saves++;
  }
}

/** A checkpoint in a JSON file, replaced atomically (write, then rename) so a crash never leaves half a file. */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly path: string) {}

  async load(): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<Checkpoint>;
    if (
      parsed.version !== 1 ||
      typeof parsed.resourceVersion !== 'string' ||
      !Array.isArray(parsed.seen)
    ) {
      throw new Error(`checkpoint file ${this.path} is not a keventer checkpoint (version 1)`);
    }
    return parsed as Checkpoint;
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    const text = JSON.stringify(checkpoint); // before any await: a snapshot may be reused
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.path);
  }
}
