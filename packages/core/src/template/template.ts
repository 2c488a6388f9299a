import { TRUNCATED_MARKER } from '../kit/truncate.js';
import { parseTemplate } from './parse.js';

export { TemplateError } from './parse.js';

/**
 * A logic-less template: text with `{{ field.path }}` tags, nothing else. No
 * conditions, loops, calls or helpers, so a template from a ConfigMap or a URI
 * cannot run code; lookups read own properties only, so no tag reaches a
 * prototype. kube-eventer's Go-template field tags (`{{ .InvolvedObject.Kind }}`)
 * work as they are: the leading dot is optional and a capitalized name falls
 * back to its camelCase JSON name.
 *
 * Output is bounded: rendering stops once the output passes its limit, so
 * sixty `{{ .Message }}` of a 5 MiB message cost no more than the limit.
 */
export interface Template {
  readonly source: string;
  /** How many tags it has. */
  readonly tags: number;
  /**
   * Renders the tags against `roots`, the first root holding a path wins. At
   * most `maxLength` (a compile option) UTF-16 units, then `TRUNCATED_MARKER`.
   */
  render(...roots: readonly unknown[]): string;
  /**
   * Renders at most `maxLength` UTF-16 units (a UTF-8 byte limit is never
   * below that), stopping as soon as the output passes it; `cut` says it did.
   */
  renderWithin(
    maxLength: number,
    roots: readonly unknown[],
    options?: RenderWithinOptions,
  ): RenderedText;
}

export interface RenderWithinOptions {
  /** Cuts each value to this many UTF-16 units (before escaping), then adds `TRUNCATED_MARKER`. */
  readonly maxValueLength?: number;
}

/** The output, or its first `maxLength` units when `cut`. */
export interface RenderedText {
  readonly text: string;
  readonly cut: boolean;
}

/** How a value is written: `json` inside a JSON string literal, or a function of your own. */
export type TemplateEscape = 'none' | 'json' | ((text: string) => string);

/** `render()`'s limit when none is given: far above any chat message, far below what hurts. */
export const DEFAULT_TEMPLATE_MAX_LENGTH = 1 << 20;

export interface CompileTemplateOptions {
  /** @default 'none' */
  readonly escape?: TemplateEscape;
  /** Names the template in errors, e.g. `ConfigMap kube-system/body`. */
  readonly name?: string;
  /** The most UTF-16 units `render()` writes before its marker. @default 1048576 */
  readonly maxLength?: number;
}

// An escaper may look a few characters ahead (`<at ` vs `<a`): a value cut for
// the limit keeps this many more, so its kept part escapes as in the whole.
const ESCAPE_LOOKAHEAD = 16;

export function compileTemplate(source: string, options: CompileTemplateOptions = {}): Template {
  const where = options.name ? `template ${options.name}` : 'template';
  const parts = parseTemplate(source, where);
  const escapeValue = escaper(options.escape ?? 'none');
  const maxLength = options.maxLength ?? DEFAULT_TEMPLATE_MAX_LENGTH;

  const renderWithin: Template['renderWithin'] = (limit, roots, within = {}) => {
    const { maxValueLength = Number.POSITIVE_INFINITY } = within;
    let out = '';
    for (const part of parts) {
      const room = limit - out.length;
      if (typeof part === 'string') {
        if (part.length > room) return { text: out + cutAt(part, room), cut: true };
        out += part;
        continue;
      }
      const whole = format(lookup(roots, part));
      const value =
        whole.length > maxValueLength ? cutAt(whole, maxValueLength) + TRUNCATED_MARKER : whole;
      // Only what can still fit is escaped: one huge value costs the limit, not its size.
      const kept = value.length > room + ESCAPE_LOOKAHEAD;
      const piece = escapeValue(kept ? value.slice(0, room + ESCAPE_LOOKAHEAD) : value);
      if (kept || piece.length > room) return { text: out + cutAt(piece, room), cut: true };
      out += piece;
    }
    return { text: out, cut: false };
  };

  return {
    source,
    tags: parts.filter((part) => typeof part !== 'string').length,
    render(...roots) {
      const { text, cut } = renderWithin(maxLength, roots);
      return cut ? text + TRUNCATED_MARKER : text;
    },
    renderWithin,
  };
}

/** The first `length` units of `text`, not splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const end = Math.max(0, length);
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

function escaper(mode: TemplateEscape): (text: string) => string {
  if (typeof mode === 'function') return mode;
  if (mode === 'json') return (text) => JSON.stringify(text).slice(1, -1);
  return (text) => text;
}

function lookup(roots: readonly unknown[], path: readonly string[]): unknown {
  for (const root of roots) {
    let value: unknown = root;
    for (const segment of path) {
      value = own(value, segment);
      if (value === undefined) break;
    }
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An own property, by its name or (Go style) its camelCase JSON name. */
function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Object.hasOwn(value, key)) return (value as Record<string, unknown>)[key];
  const json = key.charAt(0).toLowerCase() + key.slice(1);
  return Object.hasOwn(value, json) ? (value as Record<string, unknown>)[json] : undefined;
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(format).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
