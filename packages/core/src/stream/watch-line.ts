import { MalformedLineError } from './errors.js';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a watch line says, checked: only these shapes reach the stream. */
export type WatchLineEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: Json }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | {
      readonly type: 'ERROR';
      readonly code: number;
      readonly reason: string;
      readonly message: string;
    };

/**
 * Why `value` cannot be an Event object, or undefined when it can: it needs
 * `metadata.uid` (what the stream tracks occurrences by) and, when present, a
 * string `metadata.resourceVersion` (what it resumes from).
 */
export function eventObjectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return `the object is ${value === null ? 'null' : typeof value}`;
  const { metadata } = value;
  if (!isRecord(metadata)) return 'the object has no metadata';
  if (typeof metadata.uid !== 'string' || metadata.uid === '') return 'the object has no uid';
  const rv = metadata.resourceVersion;
  if (rv !== undefined && typeof rv !== 'string') return 'its resourceVersion is not a string';
  return undefined;
}

/** Parses one non-empty watch line; anything that is not a watch event throws {@link MalformedLineError}. */
export function parseWatchLine(line: string): WatchLineEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new MalformedLineError(line, 'not JSON');
  }
  if (!isRecord(parsed)) throw new MalformedLineError(line, 'not a JSON object');
  const { type, object } = parsed;
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED': {
      const problem = eventObjectProblem(object);
      if (problem) throw new MalformedLineError(line, `${type}: ${problem}`);
      return { type, object: object as Json };
    }
    case 'BOOKMARK': {
      const rv = isRecord(object) && isRecord(object.metadata) && object.metadata.resourceVersion;
      if (typeof rv !== 'string' || rv === '') {
        throw new MalformedLineError(line, 'BOOKMARK without a string resourceVersion');
      }
      return { type, resourceVersion: rv };
    }
    case 'ERROR': {
      // A Status; whatever it lacks, it still ends this watch.
      const status = isRecord(object) ? object : {};
      return {
        type,
        code: typeof status.code === 'number' ? status.code : 500,
        reason: typeof status.reason === 'string' ? status.reason : '',
        message: typeof status.message === 'string' ? status.message : 'unknown',
      };
    }
    default:
      throw new MalformedLineError(line, `unknown type ${JSON.stringify(type) ?? 'undefined'}`);
  }
}
