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
    const text = jsonPieces(checkpoint); // before any await: a snapshot may be reused
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.path);
  }
}

/** Seen entries per piece of the file's text. */
const SEEN_PER_PIECE = 1024;

/**
 * The checkpoint's JSON (what JSON.stringify writes) in pieces of about 60 KB:
 * one string for 20k seen uids would be 1.3 MB, allocated in V8's large-object
 * space, which only a full GC frees, several times a second.
 */
function jsonPieces(checkpoint: Checkpoint): string[] {
  const { seen } = checkpoint;
  // The other fields as JSON.stringify writes them, `seen` in its place, empty:
  // a key is the only place its quotes appear unescaped.
  const frame = JSON.stringify({ ...checkpoint, seen: [] });
  const at = frame.indexOf('"seen":[') + '"seen":['.length;
  const pieces = [frame.slice(0, at)];
  for (let i = 0; i < seen.length; i += SEEN_PER_PIECE) {
    const part = JSON.stringify(seen.slice(i, i + SEEN_PER_PIECE));
    pieces.push(`${i === 0 ? '' : ','}${part.slice(1, -1)}`);
  }
  pieces.push(frame.slice(at));
  return pieces;
}
