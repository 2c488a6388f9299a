import { FilterSpecError } from './errors.js';

/**
 * A name pattern: an exact string, a glob (`kube-*`, `*-system`, `node-?`),
 * a regex written `/.../flags`, or a RegExp. Exact names and globs match the
 * whole value; regexes are unanchored, as in kube-eventer (write `^...$`).
 */
export type Pattern = string | RegExp;

/** How bare strings are read: `auto` (exact or glob), `exact` only, or `regex` source. */
export type PatternMode = 'auto' | 'exact' | 'regex';

export type Matcher = (value: string) => boolean;

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const GLOB_CHARS = /[*?]/;

/** Compiles patterns once into one matcher: exact names in a Set, all globs in one RegExp. */
export function compilePatterns(
  patterns: Pattern | readonly Pattern[],
  field: string,
  mode: PatternMode = 'auto',
): Matcher {
  const list: readonly unknown[] = Array.isArray(patterns) ? patterns : [patterns];
  if (list.length === 0) {
    throw new FilterSpecError(field, list, 'an empty list matches nothing; omit it to match all');
  }
  const exact = new Set<string>();
  const globs: string[] = [];
  const regexes: RegExp[] = [];
  list.forEach((p, i) => {
    const where = list === patterns ? `${field}[${i}]` : field;
    if (p instanceof RegExp) regexes.push(stateless(p));
    else if (typeof p !== 'string' || p === '') {
      throw new FilterSpecError(where, p, 'expected a non-empty string or a RegExp');
    } else if (mode === 'exact') exact.add(p);
    else if (mode === 'regex' || REGEX_LITERAL.test(p)) regexes.push(parseRegex(p, where));
    else if (GLOB_CHARS.test(p)) globs.push(globSource(p));
    else exact.add(p);
  });
  if (globs.length > 0) regexes.push(new RegExp(`^(?:${globs.join('|')})$`, 's'));
  return combine(exact, regexes);
}

function combine(exact: Set<string>, regexes: RegExp[]): Matcher {
  const [only] = exact;
  const [re] = regexes;
  if (regexes.length === 0) return exact.size === 1 ? (v) => v === only : (v) => exact.has(v);
  if (exact.size === 0 && re && regexes.length === 1) return (v) => re.test(v);
  return (v) => {
    if (exact.has(v)) return true;
    for (let i = 0; i < regexes.length; i++) if ((regexes[i] as RegExp).test(v)) return true;
    return false;
  };
}

/** `/src/flags` is a regex literal; any other string is taken as a regex source. */
function parseRegex(p: string, where: string): RegExp {
  const literal = REGEX_LITERAL.exec(p);
  try {
    return stateless(literal ? new RegExp(literal[1] ?? '', literal[2]) : new RegExp(p));
  } catch (e) {
    throw new FilterSpecError(where, p, `invalid regex: ${(e as Error).message}`);
  }
}

/** `g` and `y` make `test()` stateful (lastIndex), so one event could alter the next result. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/** `*` is any run of characters, `?` exactly one; everything else is literal. */
export function globSource(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return out;
}
