import { cleanText } from '../contract/clean-text.js';
import type { DeliveryDefaults } from '../contract/delivery.js';
import { SinkConfigError, sinkMessage } from '../contract/errors.js';
import type { Sink } from '../contract/sink.js';
import type { Env } from '../options/env.js';
import type { OptionSchema, OptionsInput, ParsedOptions } from '../options/options.js';
import { parseOptions } from '../options/parse-options.js';
import { guardSecrets } from '../secrets/guard-secrets.js';
import { redactUri } from '../secrets/redact.js';
import { secretValues, withSecrets } from '../secrets/secret-values.js';
import { registerSink } from '../uri/registry.js';
import { type ParsedSinkUri, parseSinkUri, SINK_SCHEME } from '../uri/uri.js';
import { completeSink, declaredFilter } from './definition-parts.js';
import { describeOptions, type SinkDescription } from './describe.js';

/** What `create` gets besides the options. */
export interface SinkContext {
  readonly scheme: string;
  /** For option env fallbacks and sink-specific variables (process.env unless given). */
  readonly env: Env;
  /** Set when the sink is created from a URI. */
  readonly uri?: ParsedSinkUri;
}

export interface SinkSpec<S extends OptionSchema> {
  /** The URI name, `dingtalk` in `dingtalk:https://...`; also the package `@keventer/<scheme>`. */
  readonly scheme: string;
  readonly description: string;
  /**
   * The options. Spreading `kubeEventerFilterOptions` is all a sink does for
   * kube-eventer's `level`, `namespaces` and `kinds`: defineSink filters by them.
   */
  readonly options: S;
  /** Delivery defaults, described and documented (often a profile). */
  readonly delivery?: DeliveryDefaults;
  /** Delivery defaults that depend on the options (the webhook's body format); `delivery` otherwise. */
  readonly deliveryFor?: (options: ParsedOptions<S>) => DeliveryDefaults;
  /** URI to raw options; the default is `uriToRawOptions` (target as `endpoint` + the query). */
  readonly fromUri?: (uri: ParsedSinkUri) => Record<string, unknown>;
  readonly create: (options: ParsedOptions<S>, ctx: SinkContext) => Sink | Promise<Sink>;
}

/** The part of a definition that does not depend on its option types (registry, loader). */
export interface AnySinkDefinition {
  readonly scheme: string;
  readonly description: string;
  readonly options: OptionSchema;
  readonly delivery: DeliveryDefaults;
  /** Validates the URI's options and creates the sink. */
  fromUri(uri: string | ParsedSinkUri, context?: { env?: Env }): Promise<Sink>;
  describe(): SinkDescription;
}

type CallArgs<S extends OptionSchema> =
  Partial<OptionsInput<S>> extends OptionsInput<S>
    ? [options?: OptionsInput<S>, context?: { env?: Env }]
    : [options: OptionsInput<S>, context?: { env?: Env }];

/** Callable: `dingtalk({ access_token })` validates the options and creates the sink. */
export interface SinkDefinition<S extends OptionSchema = OptionSchema> extends AnySinkDefinition {
  (...args: CallArgs<S>): Promise<Sink>;
  readonly options: S;
}

/**
 * Defines a sink: checks the schema, registers the scheme for
 * createSinkFromUri, and returns the callable definition.
 */
export function defineSink<S extends OptionSchema>(spec: SinkSpec<S>): SinkDefinition<S> {
  checkSpec(spec);
  const { scheme } = spec;

  // The secret values travel with the sink: they are masked in every error
  // raised while it is created or writes, also when a server echoes them.
  const build = (raw: Record<string, unknown>, ctx: SinkContext): Promise<Sink> =>
    withSecrets(secretValues(spec.options, raw), async () => {
      const options = parseOptions(scheme, spec.options, raw, { env: ctx.env });
      const secrets = secretValues(spec.options, options);
      const sink = await withSecrets(secrets, () => createChecked(spec, options, ctx));
      const complete = completeSink(scheme, sink, {
        filter: declaredFilter(spec.options, options),
        delivery: {
          defaults: spec.deliveryFor?.(options) ?? spec.delivery ?? {},
          ...(ctx.uri ? { uri: ctx.uri.delivery } : {}),
        },
      });
      return guardSecrets(complete, secrets);
    });

  const fromUri = async (input: string | ParsedSinkUri, context: { env?: Env } = {}) => {
    const env = context.env ?? process.env;
    const uri = typeof input === 'string' ? parseSinkUri(input, { env }) : input;
    // Also for errors before the options are read (a custom fromUri's).
    return withSecrets(secretValues(spec.options, uriToRawOptions(uri)), async () => {
      try {
        if (uri.scheme !== scheme)
          throw new SinkConfigError(scheme, [`the URI is for the sink '${uri.scheme}'`]);
        return await build(spec.fromUri ? spec.fromUri(uri) : rawFromUri(spec, uri), {
          scheme,
          env,
          uri,
        });
      } catch (err) {
        // Say which --sink the problems are in; there may be several.
        if (err instanceof SinkConfigError && err.uri === undefined) {
          throw new SinkConfigError(err.sink, err.problems, { uri: uri.toString(), cause: err });
        }
        throw err;
      }
    });
  };

  const call = (options: Record<string, unknown> = {}, context: { env?: Env } = {}) =>
    build(options, { scheme, env: context.env ?? process.env });

  const definition = Object.freeze(
    Object.assign(call, {
      scheme,
      description: spec.description,
      options: spec.options,
      delivery: spec.delivery ?? {},
      fromUri,
      describe: (): SinkDescription => ({
        scheme,
        description: spec.description,
        options: describeOptions(spec.options),
        delivery: spec.delivery ?? {},
      }),
    }),
  ) as unknown as SinkDefinition<S>;
  registerSink(definition);
  return definition;
}

async function createChecked<S extends OptionSchema>(
  spec: SinkSpec<S>,
  options: ParsedOptions<S>,
  ctx: SinkContext,
): Promise<Sink> {
  let sink: unknown;
  try {
    sink = await spec.create(options, ctx);
  } catch (err) {
    if (err instanceof SinkConfigError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(
      sinkMessage(spec.scheme, `could not create the sink: ${cleanText(msg, 1024)}`),
      {
        cause: err,
      },
    );
  }
  if (!isSink(sink))
    throw new TypeError(sinkMessage(spec.scheme, 'create() did not return a Sink'));
  return sink;
}

/** The default URI mapping: the target as `endpoint` (if any) plus every query param. */
export function uriToRawOptions(uri: ParsedSinkUri): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, values] of uri.params) raw[key] = [...values];
  if (uri.target !== '')
    raw.endpoint = [uri.target, ...((raw.endpoint as string[] | undefined) ?? [])];
  return raw;
}

function rawFromUri(
  spec: { scheme: string; options: OptionSchema },
  uri: ParsedSinkUri,
): Record<string, unknown> {
  if (uri.target !== '' && !('endpoint' in spec.options)) {
    throw new SinkConfigError(spec.scheme, [
      `this sink takes no target before '?' (got '${redactUri(uri.target, { schema: spec.options })}'); options go after '?'`,
    ]);
  }
  return uriToRawOptions(uri);
}

/** Also accepts sinks built against another copy of core: the contract is structural. */
export function isSink(value: unknown): value is Sink {
  const s = value as Partial<Sink> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.name === 'string' &&
    typeof s.write === 'function'
  );
}

function checkSpec(spec: { scheme: string; options: OptionSchema }): void {
  if (!SINK_SCHEME.test(spec.scheme)) {
    throw new TypeError(
      `[keventer] invalid sink scheme '${spec.scheme}': lowercase letters, digits, . _ -`,
    );
  }
  const seen = new Set<string>();
  for (const [name, opt] of Object.entries(spec.options)) {
    for (const key of [name, ...opt.aliases]) {
      if (seen.has(key))
        throw new TypeError(sinkMessage(spec.scheme, `option name '${key}' is used twice`));
      seen.add(key);
    }
  }
}
