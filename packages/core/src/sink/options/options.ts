import * as values from './option-values.js';

/**
 * A small typed schema for sink options, read from URI strings and from code
 * alike. `option.string({ description })` etc. build one option; the parsed
 * options type is inferred from the schema (see `ParsedOptions`).
 */

export type OptionKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'url'
  | 'duration'
  | 'custom';

export interface OptionConfig<T> {
  /** One sentence for docs and CLI help. */
  readonly description: string;
  readonly default?: T;
  readonly required?: boolean;
  /** Shown as `***` in errors, `describe()` and printed URIs. */
  readonly secret?: boolean;
  /** Other accepted names, e.g. kube-eventer spellings. */
  readonly aliases?: readonly string[];
  /** Environment variable read when the option is not given (e.g. HONEYCOMB_WRITEKEY). */
  readonly env?: string;
}

export interface Option<
  T = unknown,
  In = T,
  P extends boolean = boolean,
  N extends boolean = boolean,
> {
  readonly kind: OptionKind;
  readonly description: string;
  /** Already validated and converted (a '30s' duration default is 30000). */
  readonly default?: T;
  readonly required: boolean;
  readonly secret: boolean;
  readonly aliases: readonly string[];
  readonly env?: string;
  /** What is accepted, for errors and docs: 'an integer from 1 to 65535'. */
  readonly accepts: string;
  /** Takes several values: a repeated key or a comma list. */
  readonly multiple: boolean;
  /** False for values only code can give (a stream, a function). */
  readonly fromText: boolean;
  /** Validates and converts a URI string or a value given in code. */
  coerce(value: unknown): values.Coerced<T>;
  /** Type-level only: parsed value, input value, always present, must be given. */
  readonly '~types'?: { value: T; input: In; present: P; needed: N };
}

/** The shape every schema has; `Option` is covariant so any option fits. */
export type OptionSchema = Readonly<Record<string, Option>>;

type Types<O> = NonNullable<O extends { readonly '~types'?: infer X } ? X : never>;
type HasDefault<C> = C extends { default: infer D } ? (undefined extends D ? false : true) : false;
type Present<C> = HasDefault<C> extends true ? true : C extends { required: true } ? true : false;
type Needed<C> = C extends { required: true }
  ? HasDefault<C> extends true
    ? false
    : C extends { env: string }
      ? false
      : true
  : false;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The options a sink's `create` receives: defaulted and required ones are always set. */
export type ParsedOptions<S extends OptionSchema> = Flat<
  {
    -readonly [K in keyof S as Types<S[K]>['present'] extends true ? K : never]: Types<
      S[K]
    >['value'];
  } & {
    -readonly [K in keyof S as Types<S[K]>['present'] extends true ? never : K]?: Types<
      S[K]
    >['value'];
  }
>;

/** The options accepted in code: required ones without a default or env must be given. */
export type OptionsInput<S extends OptionSchema> = Flat<
  { [K in keyof S as Types<S[K]>['needed'] extends true ? K : never]: Types<S[K]>['input'] } & {
    [K in keyof S as Types<S[K]>['needed'] extends true ? never : K]?:
      | Types<S[K]>['input']
      | undefined;
  }
>;

type Built<T, In, C> = Option<T, In, Present<C>, Needed<C>>;

function make<T, In, C extends OptionConfig<unknown>>(
  kind: OptionKind,
  config: C,
  rule: values.Rule<T>,
  extra: { multiple?: boolean; fromText?: boolean } = {},
): Built<T, In, C> {
  const option: Option<T, In, Present<C>, Needed<C>> = {
    kind,
    description: config.description,
    required: config.required === true,
    secret: config.secret === true,
    aliases: [...(config.aliases ?? [])],
    ...(config.env === undefined ? {} : { env: config.env }),
    accepts: rule.accepts,
    multiple: extra.multiple === true,
    fromText: extra.fromText !== false,
    coerce: rule.coerce,
  };
  if (config.default === undefined) return option;
  const checked = rule.coerce(config.default);
  // A bad default is a bug in the sink definition: fail when it loads.
  if (!checked.ok)
    throw new TypeError(`option default ${String(config.default)} is not ${rule.accepts}`);
  return { ...option, default: checked.value };
}

type NumberConfig = OptionConfig<number> & { integer?: boolean; min?: number; max?: number };
type ListConfig = OptionConfig<readonly string[]> & {
  /** Split values on commas (default true); off for free text such as DingTalk labels. */
  split?: boolean;
};
type UrlConfig = OptionConfig<string> & { protocols?: readonly string[] };
type DurationConfig = OptionConfig<number | string> & { min?: number; max?: number };
type CustomConfig<T> = OptionConfig<T> & { accepts: string };

export const option = {
  string<const C extends OptionConfig<string>>(config: C): Built<string, string, C> {
    return make('string', config, values.stringRule());
  },
  number<const C extends NumberConfig>(config: C): Built<number, number, C> {
    return make('number', config, values.numberRule(config));
  },
  boolean<const C extends OptionConfig<boolean>>(config: C): Built<boolean, boolean, C> {
    return make('boolean', config, values.booleanRule());
  },
  /** Case-sensitive, like the services: kube-eventer's `level=warning` is refused. */
  enum<const V extends readonly [string, ...string[]], const C extends OptionConfig<V[number]>>(
    accepted: V,
    config: C,
  ): Built<V[number], V[number], C> {
    return make('enum', config, values.enumRule(accepted));
  },
  /** Comma-separated and/or repeated keys (`label=a&label=b`). */
  list<const C extends ListConfig>(
    config: C,
  ): Built<readonly string[], readonly string[] | string, C> {
    return make('list', config, values.listRule(config.split !== false), { multiple: true });
  },
  url<const C extends UrlConfig>(config: C): Built<string, string | URL, C> {
    return make('url', config, values.urlRule(config.protocols));
  },
  /** Milliseconds, or a string such as '500ms', '30s', '5m', '1h30m'; parsed to ms. */
  duration<const C extends DurationConfig>(config: C): Built<number, number | string, C> {
    return make('duration', config, values.durationRule(config));
  },
  /** A value only code can give (a stream, a function, a client instance). */
  custom<T, const C extends CustomConfig<T>>(
    check: (value: unknown) => value is T,
    config: C,
  ): Built<T, T, C> {
    const rule = { accepts: config.accepts, coerce: values.customCoerce(check) };
    return make('custom', config, rule, { fromText: false });
  },
};
