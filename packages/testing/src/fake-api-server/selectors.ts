import type { CoreV1EventObject, EventApiGroup } from '@keventer/core';
import { kubeStatus, StatusError } from './status.js';

/** Whether a stored core/v1 Event matches a request's selectors. */
export type EventPredicate = (e: CoreV1EventObject) => boolean;

type FieldGetter = (e: CoreV1EventObject) => string;

const str = (value: unknown): string =>
  value === undefined || value === null ? '' : String(value);

const REF_FIELDS = [
  'kind',
  'namespace',
  'name',
  'uid',
  'apiVersion',
  'resourceVersion',
  'fieldPath',
];

function refGetters(prefix: string): Record<string, FieldGetter> {
  const out: Record<string, FieldGetter> = {};
  for (const field of REF_FIELDS) {
    out[`${prefix}.${field}`] = (e) =>
      str(e.involvedObject?.[field as keyof NonNullable<CoreV1EventObject['involvedObject']>]);
  }
  return out;
}

const COMMON: Record<string, FieldGetter> = {
  'metadata.name': (e) => str(e.metadata?.name),
  'metadata.namespace': (e) => str(e.metadata?.namespace),
  reason: (e) => str(e.reason),
  type: (e) => str(e.type),
};

/** The field labels each API group supports in `fieldSelector`, as the apiserver does. */
const FIELDS: Record<EventApiGroup, Record<string, FieldGetter>> = {
  'core/v1': {
    ...COMMON,
    ...refGetters('involvedObject'),
    reportingComponent: (e) => str(e.reportingComponent),
    source: (e) => str(e.source?.component),
  },
  'events.k8s.io/v1': {
    ...COMMON,
    ...refGetters('regarding'),
    reportingController: (e) => str(e.reportingComponent),
  },
};

const badRequest = (message: string): StatusError =>
  new StatusError(kubeStatus(400, 'BadRequest', message));

/** Splits on `sep` outside backslash escapes (and outside parentheses when `parens`). */
function splitTerms(text: string, parens: boolean): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (parens && c === '(') depth++;
    else if (parens && c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.filter((t) => t.trim() !== '');
}

const unescapeValue = (value: string): string => value.replace(/\\(.)/g, '$1');

/** Parses a `fieldSelector` (`k=v`, `k==v`, `k!=v`, comma = AND) for an API group. */
export function parseFieldSelector(group: EventApiGroup, text: string): EventPredicate {
  const tests = splitTerms(text, false).map((term): EventPredicate => {
    let i = 0;
    while (i < term.length && term[i] !== '=' && !(term[i] === '!' && term[i + 1] === '=')) {
      i += term[i] === '\\' ? 2 : 1;
    }
    if (i >= term.length)
      throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const negate = term[i] === '!';
    const opLength = negate || term[i + 1] === '=' ? 2 : 1;
    const key = term.slice(0, i).trim();
    const value = unescapeValue(term.slice(i + opLength).trim());
    const get = FIELDS[group][key];
    if (!get) throw badRequest(`field label not supported: ${key}`);
    return negate ? (e) => get(e) !== value : (e) => get(e) === value;
  });
  return (e) => tests.every((test) => test(e));
}

const KEY = '[A-Za-z0-9][-A-Za-z0-9_./]*';
const VALUE = '[-A-Za-z0-9_.]*';
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|!=|=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);

/** Parses a `labelSelector` (`k=v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma = AND). */
export function parseLabelSelector(text: string): EventPredicate {
  const tests = splitTerms(text, true).map((raw): EventPredicate => {
    const term = raw.trim();
    const label = (e: CoreV1EventObject, key: string): string | undefined =>
      e.metadata?.labels?.[key];
    let m = EQUALITY.exec(term);
    if (m) {
      const [, key = '', op, value = ''] = m;
      return op === '!=' ? (e) => label(e, key) !== value : (e) => label(e, key) === value;
    }
    m = SET.exec(term);
    if (m) {
      const [, key = '', op, list = ''] = m;
      const values = new Set(list.split(',').map((v) => v.trim()));
      return op === 'in'
        ? (e) => values.has(label(e, key) ?? '\0')
        : (e) => !values.has(label(e, key) ?? '\0');
    }
    m = EXISTS.exec(term);
    if (m) {
      const [, not, key = ''] = m;
      return not ? (e) => label(e, key) === undefined : (e) => label(e, key) !== undefined;
    }
    throw badRequest(`unable to parse requirement: ${JSON.stringify(term)}`);
  });
  return (e) => tests.every((test) => test(e));
}

/** The combined predicate of a request: namespace of the path, fieldSelector and labelSelector. */
export function requestPredicate(
  group: EventApiGroup,
  namespace: string | undefined,
  query: URLSearchParams,
): EventPredicate {
  const tests: EventPredicate[] = [];
  if (namespace !== undefined) tests.push((e) => e.metadata?.namespace === namespace);
  const fields = query.get('fieldSelector');
  if (fields) tests.push(parseFieldSelector(group, fields));
  const labels = query.get('labelSelector');
  if (labels) tests.push(parseLabelSelector(labels));
  return (e) => tests.every((test) => test(e));
}
