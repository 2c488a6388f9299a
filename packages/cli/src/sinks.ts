import {
  type AnySinkDefinition,
  createSinkFromUri,
  getSinkDefinition,
  KUBE_EVENTER_SINKS,
  listSinkSchemes,
  type Sink,
} from '@keventer/core';
import type { SinkSpec } from './plan.js';

export interface BuiltSink {
  readonly sink: Sink;
  /** The sink as safe to print: its URI or options with every secret masked. */
  readonly shown: string;
}

const MASK = '***';
/** keventer's sinks beyond kube-eventer's, all dependencies of the CLI. */
const MORE_SINKS = ['console', 'feishu', 'slack'];

/**
 * Builds a sink from a URI (core's createSinkFromUri, as kube-eventer's
 * `--sink`) or from options (the package's definition called with them).
 * Every package `@keventer/<type>` is a dependency of the CLI, so both forms
 * find them from here.
 */
export async function buildSink(spec: SinkSpec, env: NodeJS.ProcessEnv): Promise<BuiltSink> {
  if ('uri' in spec) {
    const { sink, uri } = await createSinkFromUri(spec.uri, { env });
    return { sink, shown: uri.toString() };
  }
  const definition = await sinkDefinition(spec.type);
  const call = definition as unknown as (
    options: Record<string, unknown>,
    context: { env: NodeJS.ProcessEnv },
  ) => Promise<Sink>;
  const sink = await call({ ...spec.options }, { env });
  return { sink, shown: showOptions(definition, spec) };
}

/** The definition of a sink type: registered already, or its package `@keventer/<type>`'s default export. */
export async function sinkDefinition(type: string): Promise<AnySinkDefinition> {
  const known = getSinkDefinition(type);
  if (known) return known;
  const names = [...new Set([...KUBE_EVENTER_SINKS, ...listSinkSchemes(), ...MORE_SINKS])];
  if (!/^[a-z][a-z0-9._-]*$/.test(type) || !names.includes(type)) {
    throw new Error(`unknown sink type '${type}'; known: ${names.sort().join(', ')}`);
  }
  const mod = (await import(`@keventer/${type}`)) as { default?: unknown; sink?: unknown };
  const loaded = getSinkDefinition(type) ?? [mod.default, mod.sink].find(isDefinition);
  if (!loaded) throw new Error(`@keventer/${type} exports no sink definition`);
  return loaded;
}

function isDefinition(value: unknown): value is AnySinkDefinition {
  if (typeof value !== 'function') return false;
  const d = value as Partial<AnySinkDefinition>;
  return typeof d.scheme === 'string' && typeof d.describe === 'function';
}

function showOptions(
  definition: AnySinkDefinition,
  spec: Extract<SinkSpec, { type: string }>,
): string {
  const secret = new Set(
    definition
      .describe()
      .options.filter((o) => o.secret)
      .flatMap((o) => [o.name, ...o.aliases]),
  );
  const shown = Object.fromEntries(
    Object.entries(spec.options).map(([key, value]) => [key, secret.has(key) ? MASK : value]),
  );
  return `${spec.type} ${JSON.stringify(shown)}`;
}
