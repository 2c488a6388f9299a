/** A path into the config document: keys and array indexes, as `yaml`'s getIn takes. */
export type ConfigPath = readonly (string | number)[];

/** One thing wrong in the config file, where it is. */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
}

/** `routes[1].delivery.batch.maxEvents`: the path as the user reads it. */
export function showPath(path: ConfigPath): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  }
  return text === '' ? '(top level)' : text;
}

/** The problem under `prefix` (a section checked on its own, by its own paths). */
export function under(prefix: ConfigPath, problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({ path: [...prefix, ...p.path], message: p.message }));
}
