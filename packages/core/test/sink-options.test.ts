import { describe, expect, it } from 'vitest';
import { SinkConfigError } from '../src/sink/contract/errors.js';
import { option } from '../src/sink/options/options.js';
import { parseOptions } from '../src/sink/options/parse-options.js';

const schema = {
  endpoint: option.url({
    description: 'Robot webhook URL.',
    default: 'https://oapi.dingtalk.com/robot/send',
    protocols: ['https', 'http'],
  }),
  access_token: option.string({ description: 'Robot access token.', required: true, secret: true }),
  sign: option.string({ description: 'Signing secret.', secret: true }),
  level: option.enum(['Warning', 'Normal'], {
    default: 'Warning',
    description: 'Lowest type sent.',
  }),
  namespaces: option.list({ description: 'Only these namespaces.', default: [] }),
  label: option.list({ description: 'Lines put first.', split: false, default: [] }),
  msg_type: option.enum(['text', 'markdown'], {
    default: 'text',
    description: 'Message format.',
    aliases: ['msgType'],
  }),
  max_lines: option.number({ integer: true, min: 1, max: 100, description: 'Lines per message.' }),
  timeout: option.duration({ default: '10s', description: 'Request timeout.' }),
  insecure: option.boolean({ default: false, description: 'Skip TLS checks.' }),
  writekey: option.string({ description: 'Write key.', secret: true, env: 'HONEYCOMB_WRITEKEY' }),
  onSend: option.custom((v): v is () => void => typeof v === 'function', {
    description: 'Hook.',
    accepts: 'a function',
  }),
};

function problemsOf(
  raw: Record<string, unknown>,
  env: Record<string, string> = {},
): readonly string[] {
  try {
    parseOptions('dingtalk', schema, raw, { env });
  } catch (err) {
    expect(err).toBeInstanceOf(SinkConfigError);
    return (err as SinkConfigError).problems;
  }
  throw new Error('expected a SinkConfigError');
}

describe('parseOptions: valid input', () => {
  it('reads URI strings (arrays of raw values) and fills defaults', () => {
    const o = parseOptions(
      'dingtalk',
      schema,
      {
        access_token: ['tok'],
        level: ['Normal'],
        namespaces: ['shop,kube-system', 'web'],
        label: ['cluster: prod, eu', 'team a'],
        msgType: ['markdown'],
        max_lines: ['20'],
        timeout: ['1m30s'],
        insecure: ['true'],
      },
      { env: {} },
    );
    expect(o).toEqual({
      endpoint: 'https://oapi.dingtalk.com/robot/send',
      access_token: 'tok',
      level: 'Normal',
      namespaces: ['shop', 'kube-system', 'web'],
      label: ['cluster: prod, eu', 'team a'],
      msg_type: 'markdown',
      max_lines: 20,
      timeout: 90_000,
      insecure: true,
    });
    expect('sign' in o).toBe(false);
  });

  it('reads values given in code', () => {
    const hook = () => {};
    const o = parseOptions(
      'dingtalk',
      schema,
      {
        endpoint: new URL('http://localhost:8080/send'),
        access_token: 'tok',
        namespaces: ['a', 'b'],
        max_lines: 5,
        timeout: 250,
        insecure: false,
        onSend: hook,
        sign: undefined, // undefined counts as not given
      },
      { env: {} },
    );
    expect(o.endpoint).toBe('http://localhost:8080/send');
    expect(o.namespaces).toEqual(['a', 'b']);
    expect(o.timeout).toBe(250);
    expect(o.onSend).toBe(hook);
  });

  it('falls back to the option env variable', () => {
    const o = parseOptions(
      'dingtalk',
      schema,
      { access_token: 't' },
      { env: { HONEYCOMB_WRITEKEY: 'wk' } },
    );
    expect(o.writekey).toBe('wk');
  });

  it('gives each parse its own copy of list defaults', () => {
    const a = parseOptions('dingtalk', schema, { access_token: 't' }, { env: {} });
    (a.namespaces as string[]).push('x');
    const b = parseOptions('dingtalk', schema, { access_token: 't' }, { env: {} });
    expect(b.namespaces).toEqual([]);
  });

  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['2d', 172_800_000],
    ['250', 250],
  ])('duration %s is %i ms', (text, ms) => {
    expect(
      parseOptions('d', schema, { access_token: 't', timeout: text }, { env: {} }).timeout,
    ).toBe(ms);
  });

  it.each(['1', 't', 'T', 'true', 'TRUE', 'True'])('boolean %s is true (Go ParseBool)', (text) => {
    expect(
      parseOptions('d', schema, { access_token: 't', insecure: text }, { env: {} }).insecure,
    ).toBe(true);
  });
});

describe('parseOptions: problems', () => {
  it('an unknown option names it, suggests the closest and lists the accepted ones', () => {
    const [problem] = problemsOf({ access_token: 't', levl: 'Warning' });
    expect(problem).toBe(
      "unknown option 'levl' (did you mean 'level'?); accepted options: endpoint, access_token, sign, level, namespaces, label, msg_type, max_lines, timeout, insecure, writekey, onSend",
    );
  });

  it('suggests across case and aliases, and nothing when nothing is close', () => {
    expect(problemsOf({ access_token: 't', ACCESS_TOKEN: 'x' })[0]).toContain(
      "did you mean 'access_token'?",
    );
    expect(problemsOf({ access_token: 't', msgtype: 'x' })[0]).toContain("did you mean 'msgType'?");
    expect(problemsOf({ access_token: 't', zzzzzz: 'x' })[0]).not.toContain('did you mean');
  });

  it("refuses kube-eventer's lowercase level=warning, listing the accepted values", () => {
    const [problem] = problemsOf({ access_token: 't', level: ['warning'] });
    expect(problem).toBe(
      "option 'level': 'warning' is not accepted; expected one of Warning, Normal (case-sensitive); did you mean 'Warning'?",
    );
  });

  it.each([
    ['abc', "option 'max_lines': 'abc' is not accepted; expected an integer from 1 to 100"],
    ['1.5', "option 'max_lines': '1.5' is not accepted; expected an integer from 1 to 100"],
    ['0', "option 'max_lines': '0' is not accepted; expected an integer from 1 to 100"],
    ['', "option 'max_lines': '' is not accepted; expected an integer from 1 to 100"],
  ])('a bad number %j', (value, expected) => {
    expect(problemsOf({ access_token: 't', max_lines: value })).toEqual([expected]);
  });

  it('a missing required option names it and says what it is', () => {
    expect(problemsOf({})).toEqual(["missing required option 'access_token': Robot access token."]);
  });

  it('a required option given empty (an empty env var) is a problem', () => {
    expect(problemsOf({ access_token: '' })).toEqual([
      "option 'access_token' is required and must not be empty",
    ]);
  });

  it('collects every problem into one error', () => {
    let error: SinkConfigError | undefined;
    try {
      parseOptions(
        'dingtalk',
        schema,
        {
          levl: 'x',
          level: 'warning',
          max_lines: 'many',
          endpoint: 'ftp://h/x',
          insecure: 'yes',
          timeout: 'soon',
        },
        { env: {} },
      );
    } catch (err) {
      error = err as SinkConfigError;
    }
    expect(error?.problems).toHaveLength(7);
    expect(error?.message).toMatch(
      /^\[keventer\] \[dingtalk\] 7 problems:\n {2}- unknown option 'levl'/,
    );
    for (const part of [
      "option 'endpoint': 'ftp://h/x' is not accepted; expected a URL (https or http)",
      "option 'level': 'warning'",
      "option 'max_lines': 'many'",
      "option 'timeout': 'soon' is not accepted; expected a duration such as 500ms",
      "option 'insecure': 'yes' is not accepted; expected true or false",
      "missing required option 'access_token'",
    ]) {
      expect(error?.message).toContain(part);
    }
  });

  it('a scalar given several times is a problem (level=Warning&level=Normal)', () => {
    expect(problemsOf({ access_token: 't', level: ['Warning', 'Normal'] })).toEqual([
      "option 'level' is given 2 times; it takes one value",
    ]);
  });

  it('an option given by name and alias is a problem', () => {
    expect(problemsOf({ access_token: 't', msg_type: 'text', msgType: 'text' })).toEqual([
      "option 'msg_type' is given twice (as 'msg_type' and 'msgType')",
    ]);
  });

  it('a code-only option given in a URI says so', () => {
    expect(problemsOf({ access_token: 't', onSend: ['x'] })[0]).toContain(
      'it can only be set in code, not in a URI',
    );
  });

  it('never shows secret values, even when they are wrong', () => {
    const problems = problemsOf({ access_token: 98765, sign: ['SEKRIT-1', 'SEKRIT-2'] });
    const text = problems.join('\n');
    expect(text).toContain("option 'access_token': *** is not accepted; expected a string");
    expect(text).not.toContain('98765');
    expect(text).not.toContain('SEKRIT');
  });

  it('redacts credentials inside non-secret URL values too', () => {
    const [problem] = problemsOf({ access_token: 't', endpoint: 'ftp://bob:hunter2@h/x' });
    expect(problem).not.toContain('hunter2');
    expect(problem).toContain('ftp://bob:***@h/x');
  });

  it('reports env fallbacks in missing-option messages', () => {
    const required = {
      writekey: option.string({ description: 'Key.', required: true, env: 'HONEYCOMB_WRITEKEY' }),
    };
    expect(() => parseOptions('honeycomb', required, {}, { env: {} })).toThrow(
      "missing required option 'writekey' (or set $HONEYCOMB_WRITEKEY): Key.",
    );
  });
});

describe('option builders', () => {
  it('refuse a bad default when the sink is defined', () => {
    expect(() => option.number({ description: 'x', min: 1, default: 0 })).toThrow(TypeError);
    expect(() => option.duration({ description: 'x', default: 'forever' })).toThrow(TypeError);
  });

  it('store converted defaults and describe what they accept', () => {
    const d = option.duration({ description: 'x', default: '2m' });
    expect(d.default).toBe(120_000);
    expect(option.number({ description: 'x', min: 0 }).accepts).toBe('a number of at least 0');
    expect(option.enum(['a', 'b'], { description: 'x' }).accepts).toBe(
      'one of a, b (case-sensitive)',
    );
  });
});
