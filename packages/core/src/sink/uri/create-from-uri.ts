import { consoleSink } from '../builtin/console.js';
import { logSink } from '../builtin/log.js';
import type { Sink } from '../contract/sink.js';
import type { AnySinkDefinition } from '../define/define-sink.js';
import type { Env } from '../options/env.js';
import { loadSinkPackage } from './load-sink-package.js';
import { getSinkDefinition, registerSink } from './registry.js';
import { defaultResolveDirs } from './resolve-package.js';
import { type ParsedSinkUri, parseSinkUri } from './uri.js';

// Referenced, not just imported, so bundlers honouring "sideEffects": false
// keep them (their defineSink call is what registers them).
const BUILT_IN: readonly AnySinkDefinition[] = [logSink, consoleSink];

export interface CreateSinkFromUriOptions {
  /** For `$VAR` expansion and option env fallbacks (default process.env). */
  env?: Env;
  /**
   * Where `@keventer/<scheme>` packages are resolved from. Default: the
   * directory of the app's main module (`process.argv[1]`), then core's own
   * location; never the working directory.
   */
  resolveFrom?: string;
}

export interface CreatedSink {
  readonly sink: Sink;
  readonly definition: AnySinkDefinition;
  /** The URI's `batch.*`/`buffer.*`/`request.*` settings, unvalidated, for the delivery engine. */
  readonly delivery: Readonly<Record<string, string>>;
  readonly uri: ParsedSinkUri;
}

/**
 * Builds a sink from a kube-eventer style URI (`dingtalk:https://...`). The
 * scheme comes from the registry, else from the installed `@keventer/<scheme>`
 * package. Any failure throws: unlike kube-eventer, a sink that cannot be
 * built is never skipped.
 */
export async function createSinkFromUri(
  uri: string | ParsedSinkUri,
  options: CreateSinkFromUriOptions = {},
): Promise<CreatedSink> {
  const env = options.env ?? process.env;
  const parsed = typeof uri === 'string' ? parseSinkUri(uri, { env }) : uri;
  for (const builtIn of BUILT_IN) {
    if (getSinkDefinition(builtIn.scheme) === undefined) registerSink(builtIn);
  }
  const definition =
    getSinkDefinition(parsed.scheme) ??
    (await loadSinkPackage(
      parsed.scheme,
      options.resolveFrom === undefined
        ? defaultResolveDirs(process.argv[1])
        : [options.resolveFrom],
    ));
  const sink = await definition.fromUri(parsed, { env });
  return { sink, definition, delivery: parsed.delivery, uri: parsed };
}
