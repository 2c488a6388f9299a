import { pathToFileURL } from 'node:url';
import { didYouMean } from '../../suggest.js';
import { SinkConfigError } from '../contract/errors.js';
import type { AnySinkDefinition } from '../define/define-sink.js';
import { getSinkDefinition, listSinkSchemes, registerSink } from './registry.js';
import { resolvePackageFrom } from './resolve-package.js';

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
 * Imports `@keventer/<scheme>` as installed for the app: from the first of
 * `fromDirs` that has it. Registers its definition (its default export, or a
 * named `sink` export) and returns the registered one.
 */
export async function loadSinkPackage(
  scheme: string,
  fromDirs: readonly string[],
): Promise<AnySinkDefinition> {
  const pkg = `@keventer/${scheme}`;
  const found = resolvePackageFrom(pkg, fromDirs);
  if (found === undefined) throw notInstalled(scheme, fromDirs);
  const { entry } = found;

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
  // A package built against another copy of core registered itself there,
  // not here. A copy of a sink already registered here keeps the first one.
  try {
    registerSink(definition);
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).replace(
      /^\[keventer\] \[[^\]]*\] /,
      '',
    );
    throw new SinkConfigError(scheme, [`${pkg} from ${entry}: ${msg}`], { cause: err });
  }
  return getSinkDefinition(scheme) ?? definition;
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

function notInstalled(scheme: string, fromDirs: readonly string[]): SinkConfigError {
  const pkg = `@keventer/${scheme}`;
  const fromDir = fromDirs.join(' or ');
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
