/**
 * A logic-less template: text with `{{ field.path }}` tags, nothing else. No
 * conditions, loops, calls or helpers, so a template from a ConfigMap or a URI
 * cannot run code; lookups read own properties only, so no tag reaches a
 * prototype. kube-eventer's Go-template field tags (`{{ .InvolvedObject.Kind }}`)
 * work as they are: the leading dot is optional and a capitalized name falls
 * back to its camelCase JSON name.
 */
export interface Template {
  readonly source: string;
  /** Renders the tags against `roots`, the first root holding a path wins. */
  render(...roots: readonly unknown[]): string;
}

/** How a value is written: `json` inside a JSON string literal, or a function of your own. */
export type TemplateEscape = 'none' | 'json' | ((text: string) => string);

export interface CompileTemplateOptions {
  /** @default 'none' */
  readonly escape?: TemplateEscape;
  /** Names the template in errors, e.g. `ConfigMap kube-system/body`. */
  readonly name?: string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Part = string | readonly string[];

const TAG = /\{\{([\s\S]*?)\}\}/g;
const PATH = /^\.?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export function compileTemplate(source: string, options: CompileTemplateOptions = {}): Template {
  const where = options.name ? `template ${options.name}` : 'template';
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const tag = (match[1] ?? '').trim();
    const at = `${where}, line ${lineOf(source, match.index)}`;
    if (!PATH.test(tag)) {
      throw new TemplateError(
        `${at}: '{{${match[1]}}}' is not a field reference; templates are logic-less, write {{ .Field }} or {{ field.path }}`,
      );
    }
    const path = tag.replace(/^\./, '').split('.');
    const bad = path.find((segment) => FORBIDDEN.has(segment));
    if (bad) throw new TemplateError(`${at}: '${bad}' cannot be used in a template`);
    parts.push(source.slice(last, match.index), path);
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (rest.includes('{{')) {
    throw new TemplateError(
      `${where}, line ${lineOf(source, last + rest.indexOf('{{'))}: '{{' is never closed`,
    );
  }
  parts.push(rest);
  const escapeValue = escaper(options.escape ?? 'none');
  return {
    source,
    render(...roots) {
      let out = '';
      for (const part of parts) {
        out += typeof part === 'string' ? part : escapeValue(format(lookup(roots, part)));
      }
      return out;
    },
  };
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

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
