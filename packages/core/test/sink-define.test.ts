import { describe, expect, it, vi } from 'vitest';
import { SinkConfigError } from '../src/sink/contract/errors.js';
import type { Sink } from '../src/sink/contract/sink.js';
import { defineSink, type SinkContext } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { getSinkDefinition, listSinkSchemes, unregisterSink } from '../src/sink/uri/registry.js';
import { parseSinkUri } from '../src/sink/uri/uri.js';

const noopSink = (name: string): Sink => ({ name, async write() {} });

const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err as Error,
  );

function chatSink(scheme: string) {
  const create = vi.fn((_options: unknown, _ctx: SinkContext) => noopSink(scheme));
  const definition = defineSink({
    scheme,
    description: 'A chat robot.',
    options: {
      endpoint: option.url({ description: 'Robot URL.', required: true }),
      access_token: option.string({ description: 'Token.', required: true, secret: true }),
      level: option.enum(['Warning', 'Normal'], {
        default: 'Warning',
        description: 'Lowest type.',
      }),
      label: option.list({ description: 'Lines first.', split: false, default: [] }),
    },
    delivery: { batch: { maxEvents: 20, timeoutMs: 2000 }, request: { rateLimitNum: 20 } },
    create,
  });
  return { definition, create };
}

describe('defineSink', () => {
  it('registers the scheme', () => {
    const { definition } = chatSink('def-register');
    expect(getSinkDefinition('def-register')).toBe(definition);
    expect(listSinkSchemes()).toContain('def-register');
    expect(definition.scheme).toBe('def-register');
    expect(definition.delivery).toEqual({
      batch: { maxEvents: 20, timeoutMs: 2000 },
      request: { rateLimitNum: 20 },
    });
  });

  it('is callable: validates the options, then creates the sink with them', async () => {
    const { definition, create } = chatSink('def-call');
    const sink = await definition(
      { endpoint: 'https://h/send', access_token: 'tok' },
      { env: { A: '1' } },
    );
    expect(sink.name).toBe('def-call');
    expect(create).toHaveBeenCalledWith(
      { endpoint: 'https://h/send', access_token: 'tok', level: 'Warning', label: [] },
      { scheme: 'def-call', env: { A: '1' } },
    );
  });

  it('rejects bad options with a SinkConfigError and never calls create', async () => {
    const { definition, create } = chatSink('def-bad');
    const result = definition({
      endpoint: 'https://h/send',
      access_token: 'tok',
      // @ts-expect-error the type refuses the lowercase level too
      level: 'warning',
    });
    await expect(result).rejects.toThrow(SinkConfigError);
    await expect(result).rejects.toThrow(/expected one of Warning, Normal/);
    expect(create).not.toHaveBeenCalled();
  });

  it('fromUri maps the target to endpoint and the query to options', async () => {
    const { definition, create } = chatSink('def-uri');
    const uri =
      'def-uri:https://h/send?access_token=tok&label=a&label=b,c&level=Normal&batch.maxEvents=5';
    await definition.fromUri(uri, { env: {} });
    const [options, ctx] = create.mock.calls[0] ?? [];
    expect(options).toEqual({
      endpoint: 'https://h/send',
      access_token: 'tok',
      level: 'Normal',
      label: ['a', 'b,c'],
    });
    expect(ctx?.uri?.delivery).toEqual({ 'batch.maxEvents': '5' });
    // A parsed URI works too.
    await definition.fromUri(parseSinkUri(uri, { env: {} }));
    expect(create).toHaveBeenCalledTimes(2);
  });

  // An undeclared key's value may be a misspelt secret (`sing=SEC...`): hidden too.
  it('fromUri errors name the (redacted) URI', async () => {
    const { definition } = chatSink('def-uri-err');
    const result = definition.fromUri('def-uri-err:https://h/send?access_token=tok-SECRET&levl=x', {
      env: {},
    });
    await expect(result).rejects.toThrow(
      "[keventer] [def-uri-err] unknown option 'levl' (did you mean 'level'?); accepted options: endpoint, access_token, level, label in 'def-uri-err:https://h/send?access_token=***&levl=***'",
    );
    await expect(result).rejects.not.toThrow(/tok-SECRET/);
  });

  it('fromUri refuses a URI of another sink', async () => {
    const { definition } = chatSink('def-other');
    await expect(definition.fromUri('log', { env: {} })).rejects.toThrow(
      "the URI is for the sink 'log'",
    );
  });

  it('a sink without an endpoint option refuses a target', async () => {
    const definition = defineSink({
      scheme: 'def-no-target',
      description: 'x',
      options: { color: option.boolean({ description: 'x', default: false }) },
      create: () => noopSink('x'),
    });
    await expect(
      definition.fromUri('def-no-target:somewhere?color=true', { env: {} }),
    ).rejects.toThrow("this sink takes no target before '?' (got 'somewhere')");
    await expect(
      definition.fromUri('def-no-target:?color=true', { env: {} }),
    ).resolves.toBeDefined();
  });

  it('a custom fromUri reads what it needs (a MySQL DSN in rawQuery)', async () => {
    const create = vi.fn((options: { dsn: string; table: string }) => noopSink(options.table));
    const definition = defineSink({
      scheme: 'def-mysql',
      description: 'x',
      options: {
        dsn: option.string({ description: 'Go MySQL DSN.', required: true, secret: true }),
        table: option.string({ description: 'Table.', default: 'kube_event' }),
      },
      fromUri: (uri) => ({
        dsn: uri.rawQuery.replace(/&table=[^&]*/, ''),
        table: uri.params.get('table'),
      }),
      create,
    });
    const sink = await definition.fromUri(
      'def-mysql:?root:pw@tcp(h:3306)/db?charset=utf8&table=events',
      {
        env: {},
      },
    );
    expect(sink.name).toBe('events');
    expect(create.mock.calls[0]?.[0]).toEqual({
      dsn: 'root:pw@tcp(h:3306)/db?charset=utf8',
      table: 'events',
    });
  });

  it('describe() documents the options for docs and CLI help, hiding secret defaults', () => {
    const definition = defineSink({
      scheme: 'def-describe',
      description: 'Doc test.',
      options: {
        level: option.enum(['Warning', 'Normal'], {
          default: 'Warning',
          description: 'Lowest type.',
        }),
        key: option.string({
          description: 'Key.',
          secret: true,
          default: 'dev-key',
          env: 'DEF_KEY',
        }),
      },
      delivery: { batch: { maxEvents: 1 } },
      create: () => noopSink('x'),
    });
    expect(definition.describe()).toEqual({
      scheme: 'def-describe',
      description: 'Doc test.',
      delivery: { batch: { maxEvents: 1 } },
      options: [
        {
          name: 'level',
          kind: 'enum',
          description: 'Lowest type.',
          accepts: 'one of Warning, Normal (case-sensitive)',
          required: false,
          secret: false,
          aliases: [],
          default: 'Warning',
          inUri: true,
        },
        {
          name: 'key',
          kind: 'string',
          description: 'Key.',
          accepts: 'a string',
          required: false,
          secret: true,
          aliases: [],
          env: 'DEF_KEY',
          inUri: true,
        },
      ],
    });
  });

  it('wraps a failing create with the sink name, redacted, keeping the cause', async () => {
    const cause = new Error('connect to https://u:pw-SECRET@h failed');
    const definition = defineSink({
      scheme: 'def-fail',
      description: 'x',
      options: {},
      create: () => {
        throw cause;
      },
    });
    const error = await rejection(definition());
    expect(error.message).toBe(
      '[keventer] [def-fail] could not create the sink: connect to https://u:***@h failed',
    );
    expect(error.cause).toBe(cause);
  });

  it('refuses a create that returns no Sink', async () => {
    const definition = defineSink({
      scheme: 'def-nosink',
      description: 'x',
      options: {},
      create: () => ({ name: 'x' }) as unknown as Sink,
    });
    await expect(definition()).rejects.toThrow('create() did not return a Sink');
  });

  it('refuses a different definition for a taken scheme, until unregistered', () => {
    chatSink('def-dup');
    // The same sink again (a second copy of its package) is accepted: see sink-resolve.test.ts.
    const other = { description: 'Another sink.', options: {}, create: () => noopSink('x') };
    expect(() => defineSink({ ...other, scheme: 'def-dup' })).toThrow(/already registered/);
    expect(unregisterSink('def-dup')).toBe(true);
    const { definition } = chatSink('def-dup');
    expect(getSinkDefinition('def-dup')).toBe(definition);
  });

  it('checks the spec when it is defined', () => {
    const spec = { description: 'x', create: () => noopSink('x') };
    expect(() => defineSink({ ...spec, scheme: 'Bad Name', options: {} })).toThrow(
      /invalid sink scheme/,
    );
    expect(() =>
      defineSink({
        ...spec,
        scheme: 'def-alias-clash',
        options: {
          a: option.string({ description: 'x' }),
          b: option.string({ description: 'x', aliases: ['a'] }),
        },
      }),
    ).toThrow("option name 'a' is used twice");
  });
});
