/** Text, or the path of a `{{ field.path }}` tag. */
export type Part = string | readonly string[];

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const PATH = /^\.?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
// A tag quoted in an error: enough to find it, not a megabyte of it.
const QUOTED_TAG_CHARS = 80;

/**
 * Splits `source` into text and tag paths in one pass: `indexOf` for each
 * `{{` and its `}}`, and a line number only for the error, so a template of
 * tens of thousands of tags (a ConfigMap, reloaded) compiles in linear time.
 */
export function parseTemplate(source: string, where: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (let open = source.indexOf('{{'); open !== -1; open = source.indexOf('{{', last)) {
    const close = source.indexOf('}}', open + 2);
    const at = () => `${where}, line ${lineOf(source, open)}`;
    if (close === -1) throw new TemplateError(`${at()}: '{{' is never closed`);
    const inner = source.slice(open + 2, close);
    const tag = inner.trim();
    if (!PATH.test(tag)) {
      throw new TemplateError(
        `${at()}: '{{${quote(inner)}}}' is not a field reference; templates are logic-less, write {{ .Field }} or {{ field.path }}`,
      );
    }
    const path = tag.replace(/^\./, '').split('.');
    const bad = path.find((segment) => FORBIDDEN.has(segment));
    if (bad) throw new TemplateError(`${at()}: '${bad}' cannot be used in a template`);
    parts.push(source.slice(last, open), path);
    last = close + 2;
  }
  parts.push(source.slice(last));
  return parts;
}

function quote(inner: string): string {
  return inner.length > QUOTED_TAG_CHARS ? `${inner.slice(0, QUOTED_TAG_CHARS)}…` : inner;
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
