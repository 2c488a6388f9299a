import { readFile } from 'node:fs/promises';
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { ConfigPath } from './problems.js';

/** A parsed config file that can say on which line each value is. */
export interface ConfigSource {
  readonly file: string;
  /** The document as plain data (YAML aliases resolved). */
  readonly data: unknown;
  /** `file:line:col` of the value at `path`, or of its nearest parent that exists. */
  where(path: ConfigPath): string;
  /** YAML syntax errors, each with its position. */
  readonly syntaxErrors: readonly string[];
}

/** Reads and parses a config file; an unreadable file throws with the reason. */
export async function readConfigFile(file: string): Promise<ConfigSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code } = error as { code?: string };
    throw new Error(
      `the config file ${file} could not be read (${code ?? (error as Error).message})`,
    );
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): ConfigSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const syntaxErrors = [...doc.errors, ...doc.warnings].map(
    (e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`,
  );
  return {
    file,
    data: doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 }),
    syntaxErrors,
    where: (path) => at(offsetOf(doc, path)),
  };
}

/** The start of the value at `path`; for a missing key, its parent's. */
function offsetOf(doc: Document, path: ConfigPath): number {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    if (isNode(node) && node.range) {
      // An unknown or bad key: point at the key itself when the path ends at a map entry.
      if (n > 0 && n === path.length) {
        const parent = n === 1 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (item) => isPair(item) && isScalar(item.key) && item.key.value === path[n - 1],
          );
          if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
        }
      }
      return node.range[0];
    }
  }
  return 0;
}
