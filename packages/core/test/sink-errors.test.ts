import { describe, expect, it } from 'vitest';
import {
  isSinkError,
  permanentError,
  retryableError,
  SinkConfigError,
  SinkError,
} from '../src/sink/contract/errors.js';
import { classifyHttpResponse, parseRetryAfter } from '../src/sink/contract/http-status.js';
import { toSinkError } from '../src/sink/contract/to-sink-error.js';

function codeError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('SinkError constructors', () => {
  it('prefix the message and carry the classification', () => {
    const cause = new Error('boom');
    const e = retryableError('dingtalk', 'rate limited (errcode 130101)', {
      retryAfterMs: 60_000,
      statusCode: 200,
      cause,
    });
    expect(e).toBeInstanceOf(SinkError);
    expect(e.message).toBe('[keventer] [dingtalk] rate limited (errcode 130101)');
    expect(e).toMatchObject({
      sink: 'dingtalk',
      retryable: true,
      retryAfterMs: 60_000,
      statusCode: 200,
    });
    expect(e.cause).toBe(cause);

    const p = permanentError('dingtalk', 'keyword not in message (errcode 310000)');
    expect(p.retryable).toBe(false);
    expect(p.retryAfterMs).toBeUndefined();
    expect(p.name).toBe('SinkError');
  });

  it('redact secrets that slip into messages', () => {
    const e = permanentError('webhook', 'POST https://h/x?token=tok123 failed');
    expect(e.message).not.toContain('tok123');
  });

  it('isSinkError accepts a SinkError from another copy of core', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'SinkError',
      retryable: true,
      sink: 's',
    });
    expect(isSinkError(foreign)).toBe(true);
    expect(isSinkError(new Error('x'))).toBe(false);
    expect(toSinkError('s', foreign)).toBe(foreign);
  });
});

describe('toSinkError', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    '%s is retryable',
    (code) => {
      const e = toSinkError('es', codeError(code));
      expect(e.retryable).toBe(true);
      expect(e.message).toContain(code);
      expect(e.message.startsWith('[keventer] [es] ')).toBe(true);
    },
  );

  it('fetch failures (a TypeError with a socket cause) are retryable', () => {
    const err = new TypeError('fetch failed', { cause: codeError('ECONNREFUSED') });
    expect(toSinkError('webhook', err).retryable).toBe(true);
  });

  it('a connect AggregateError (happy eyeballs) is retryable', () => {
    const err = new AggregateError(
      [codeError('ECONNREFUSED'), codeError('ECONNREFUSED')],
      'connect failed',
    );
    expect(toSinkError('webhook', err).retryable).toBe(true);
  });

  it('a timeout abort is retryable', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    const e = toSinkError('webhook', signal.reason);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('timed out');
  });

  it('a plain abort (engine shutdown) is retryable: the batch itself was fine', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toSinkError('webhook', controller.signal.reason).retryable).toBe(true);
  });

  it.each([
    new TypeError("Cannot read properties of undefined (reading 'x')"),
    new RangeError('Invalid array length'),
    new SyntaxError('Unexpected token'),
  ])('programming error %s is permanent', (err) => {
    const e = toSinkError('webhook', err);
    expect(e.retryable).toBe(false);
    expect(e.cause).toBe(err);
  });

  it('honours a client library flag (kafkajs `retriable`) and an HTTP status', () => {
    expect(
      toSinkError('kafka', Object.assign(new Error('x'), { retriable: false })).retryable,
    ).toBe(false);
    expect(toSinkError('kafka', Object.assign(new Error('x'), { retriable: true })).retryable).toBe(
      true,
    );
    expect(toSinkError('es', Object.assign(new Error('x'), { statusCode: 400 })).retryable).toBe(
      false,
    );
    const busy = toSinkError('es', Object.assign(new Error('x'), { statusCode: 503 }));
    expect(busy).toMatchObject({ retryable: true, statusCode: 503 });
  });

  it('unknown errors and thrown strings are retryable', () => {
    expect(toSinkError('x', new Error('something odd')).retryable).toBe(true);
    const e = toSinkError('x', 'just a string');
    expect(e.retryable).toBe(true);
    expect(e.message).toBe('[keventer] [x] just a string');
  });
});

describe('classifyHttpResponse', () => {
  it('2xx is delivered', () => {
    expect(classifyHttpResponse('webhook', 200)).toBeUndefined();
    expect(classifyHttpResponse('webhook', 204, {}, '')).toBeUndefined();
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('%i is retryable', (status) => {
    const e = classifyHttpResponse('webhook', status, { 'Retry-After': '7' });
    expect(e).toMatchObject({ retryable: true, statusCode: status, retryAfterMs: 7000 });
    expect(e?.message).toContain(`HTTP ${status}`);
  });

  it.each([400, 401, 403, 404, 413, 422])('%i is permanent', (status) => {
    const e = classifyHttpResponse('webhook', status, { 'retry-after': '7' });
    expect(e).toMatchObject({ retryable: false, statusCode: status });
    expect(e?.retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After from fetch Headers too', () => {
    const e = classifyHttpResponse('honeycomb', 429, new Headers({ 'retry-after': '2' }));
    expect(e?.retryAfterMs).toBe(2000);
    expect(classifyHttpResponse('honeycomb', 503, new Headers())?.retryAfterMs).toBeUndefined();
  });

  it('the message has status, reason and a short one-line body, without secrets', () => {
    const body = `{"error":"bad token",\n "token": "x", "echo": "https://h/x?access_token=tok999"}${' pad'.repeat(200)}`;
    const e = classifyHttpResponse('webhook', 401, {}, body);
    expect(e?.message).toMatch(
      /^\[keventer\] \[webhook\] HTTP 401 Unauthorized: \{"error":"bad token", "token"/,
    );
    expect(e?.message).not.toContain('\n');
    expect(e?.message).not.toContain('tok999');
    expect(e?.message.length).toBeLessThan(300);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('reads seconds and HTTP-dates as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  it('a past date is 0, garbage and absence are undefined', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 12:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('SinkConfigError', () => {
  it('lists every problem and keeps them', () => {
    const e = new SinkConfigError('kafka', ['a', 'b']);
    expect(e.message).toBe('[keventer] [kafka] 2 problems:\n  - a\n  - b');
    expect(e.problems).toEqual(['a', 'b']);
    expect(new SinkConfigError('kafka', ['only']).message).toBe('[keventer] [kafka] only');
  });
});

describe('toSinkError judges fetch failures by their cause', () => {
  const fetchFailed = (cause: Error) => new TypeError('fetch failed', { cause });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /NODE_EXTRA_CA_CERTS/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', /NODE_EXTRA/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', /NODE_EXTRA/],
    ['CERT_HAS_EXPIRED', 'certificate has expired', /renew the certificate or fix the clock/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", /host/],
  ])('%s is permanent, with the code, the reason and how to fix it', (code, text, hint) => {
    const e = toSinkError('dingtalk', fetchFailed(codeError(code, text)));
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(`TLS certificate problem (${code})`);
    expect(e.message).toContain(text);
    expect(e.message).toMatch(hint);
  });

  it('a network cause is retryable and its message shown', () => {
    const e = toSinkError('dingtalk', fetchFailed(codeError('ECONNRESET', 'read ECONNRESET')));
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(
      '[keventer] [dingtalk] network error (ECONNRESET): TypeError: fetch failed: read ECONNRESET',
    );
  });

  it('an unknown cause is retryable (an outage, not a bug), a TypeError without one permanent', () => {
    const e = toSinkError('dingtalk', fetchFailed(codeError('EPROTO', 'write EPROTO')));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('write EPROTO');
    expect(toSinkError('dingtalk', new TypeError('x is not a function')).retryable).toBe(false);
  });
});

describe('errors are bounded', () => {
  it('a SinkError from a 256 KiB text is cut to about 1 KiB, fast', () => {
    const started = performance.now();
    const e = permanentError(
      'dingtalk',
      `DingTalk refused (errcode 1: ${'a.'.repeat(128 * 1024)})`,
    );
    expect(performance.now() - started).toBeLessThan(200);
    expect(e.message.length).toBeLessThanOrEqual(1100);
    expect(e.message.endsWith('…')).toBe(true);
  });

  it('a SinkConfigError lists at most 20 problems, each cut, and a cut URI', () => {
    const problems = Array.from({ length: 5000 }, (_, i) => `problem ${i} ${'p'.repeat(1000)}`);
    const e = new SinkConfigError('x', problems, { uri: `x:?${'q'.repeat(100_000)}` });
    expect(e.message.length).toBeLessThan(20 * 420 + 1000);
    expect(e.message).toContain('and 4980 more');
    expect(e.problems).toHaveLength(5000);
  });

  it('a 3xx says where it points, by origin only', () => {
    const e = classifyHttpResponse('webhook', 302, {
      location: 'https://login.example.com/sso?next=/hook&token=abc123',
    });
    expect(e).toMatchObject({ retryable: false, statusCode: 302 });
    expect(e?.message).toContain('redirects to https://login.example.com');
    expect(e?.message).not.toContain('abc123');
  });
});
