import { pathToFileURL } from 'node:url';
import type { AnySinkDefinition } from './define-sink.js';
import { SinkConfigError } from './errors.js';
import { getSinkDefinition, listSinkSchemes, registerSink } from './registry.js';
import { resolvePackageEntry } from './resolve-package.js';
import { didYouMean } from './suggest.js';

/** kube-eventer's `--sink` names, each served by a package `@keventer/<name>` (log is built in). */
export const KUBE_EVENTER_SINKS = [
  'log',
  'dingtalk',
  'wechat',
  'webhook',
  'sls',
  'elasticsearch',
  'kafka',
  'influxdb',
  'mysql',
  'mongo',
  'honeycomb',
  'eventbridge',
  'riemann',
] as const;

/**
 * Imports `@keventer/<scheme>` as installed for the app in `fromDir` and
 * registers its definition (its default export, or a named `sink` export).
 */
export async function loadSinkPackage(scheme: string, fromDir: string): Promise<AnySinkDefinition> {
  const pkg = `@keventer/${scheme}`;
  const entry = resolvePackageEntry(pkg, fromDir);
  if (entry === undefined) throw notInstalled(scheme, fromDir);

  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new SinkConfigError(scheme, [`could not load ${pkg} from ${entry}: ${msg}`], {
      cause: err,
    });
  }
  const definition = [mod.default, mod.sink].find(isSinkDefinition);
  if (definition === undefined) {
    throw new SinkConfigError(scheme, [
      `${pkg} (${entry}) exports no sink definition: expected a default or a named 'sink' export made with defineSink`,
    ]);
  }
  if (definition.scheme !== scheme) {
    throw new SinkConfigError(scheme, [
      `${pkg} defines the sink '${definition.scheme}', not '${scheme}'`,
    ]);
  }
  // A package built against another copy of core registered itself there, not here.
  if (getSinkDefinition(scheme) !== definition) registerSink(definition);
  return definition;
}

/** Structural, so a definition made by another copy of @keventer/core is accepted. */
export function isSinkDefinition(value: unknown): value is AnySinkDefinition {
  const d = value as Partial<AnySinkDefinition> | null;
  return (
    (typeof d === 'function' || (typeof d === 'object' && d !== null)) &&
    typeof d.scheme === 'string' &&
    typeof d.fromUri === 'function' &&
    typeof d.describe === 'function'
  );
}

function notInstalled(scheme: string, fromDir: string): SinkConfigError {
  const pkg = `@keventer/${scheme}`;
  if ((KUBE_EVENTER_SINKS as readonly string[]).includes(scheme)) {
    return new SinkConfigError(scheme, [
      `sink '${scheme}' needs the package ${pkg}: npm i ${pkg} (not found from ${fromDir})`,
    ]);
  }
  const known = [...new Set([...listSinkSchemes(), ...KUBE_EVENTER_SINKS])].sort();
  return new SinkConfigError(scheme, [
    `unknown sink '${scheme}'${didYouMean(scheme, known)}; known sinks: ${known.join(', ')}. ` +
      `Other sinks load from an installed package @keventer/<name> (${pkg} is not installed in ${fromDir})`,
  ]);
}
