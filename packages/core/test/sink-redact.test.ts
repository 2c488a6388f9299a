import { describe, expect, it } from 'vitest';
import { isSecretKey, redactText, redactUri } from '../src/sink/secrets/redact.js';

describe('redactUri', () => {
  it.each([
    [
      'dingtalk:https://h/send?access_token=abc&label=x',
      'dingtalk:https://h/send?access_token=***&label=x',
    ],
    ['wechat:?corp_id=1&CORP_SECRET=abc', 'wechat:?corp_id=1&CORP_SECRET=***'],
    [
      'sls:x?accessKeySecret=abc&AccessKeySecret=def',
      'sls:x?accessKeySecret=***&AccessKeySecret=***',
    ],
    [
      'kafka:?brokers=b:9092&sasl_password=abc&key=/tls/key.pem',
      'kafka:?brokers=b:9092&sasl_password=***&key=***',
    ],
    ['x:?clientSecret=abc&x-api-key=def&token=ghi', 'x:?clientSecret=***&x-api-key=***&token=***'],
    [
      'influxdb:http://h?user=root&pw=abc&passwd=def',
      'influxdb:http://h?user=root&pw=***&passwd=***',
    ],
    ['https://user:abc@h:8080/p?q=1', 'https://user:***@h:8080/p?q=1'],
    [
      'webhook:http://h?header=authorization=Basic%20abc',
      'webhook:http://h?header=authorization=***',
    ],
    [
      'webhook:http://h?header=X-Honeycomb-Team=abc&header=Accept=json',
      'webhook:http://h?header=X-Honeycomb-Team=***&header=Accept=json',
    ],
    ['mysql:?u:abc@tcp(h:3306)/db', 'mysql:?u:***@tcp(h:3306)/db'],
    ['riemann:h:5555?ttl=60', 'riemann:h:5555?ttl=60'],
    ['log', 'log'],
    ['not a uri at all %%%', 'not a uri at all %%%'],
  ])('%s', (input, expected) => {
    expect(redactUri(input)).toBe(expected);
    expect(redactUri(input)).not.toContain('abc');
  });

  it('keeps $VAR references only when asked (a real value may start with "$")', () => {
    const typed = `dingtalk:https://h?access_token=$TOKEN&sign=\${SIGN}`;
    expect(redactUri(typed, { keepEnvReferences: true })).toBe(typed);
    expect(redactUri('x:?password=$ecret')).toBe('x:?password=***');
  });
});

describe('redactText', () => {
  it('redacts URLs and secret=value pairs inside prose', () => {
    const text =
      'POST https://u:pw1@api.example.com/send?access_token=tok1 failed; retry with token=tok2, sign=sig3';
    const out = redactText(text);
    for (const secret of ['pw1', 'tok1', 'tok2', 'sig3']) expect(out).not.toContain(secret);
    expect(out).toContain('https://u:***@api.example.com/send?access_token=***');
  });
});

describe('isSecretKey', () => {
  it('is case-insensitive and catches variants', () => {
    for (const key of [
      'ACCESS_TOKEN',
      'esUserSecret',
      'writekey',
      'WriteKey',
      'saslPassword',
      'api_key',
    ]) {
      expect(isSecretKey(key)).toBe(true);
    }
    for (const key of ['level', 'label', 'namespaces', 'brokers', 'user', 'index']) {
      expect(isSecretKey(key)).toBe(false);
    }
  });
});

describe('redaction of secret webhook paths', () => {
  it('hides the Feishu/Lark hook token and the Slack webhook path', () => {
    expect(redactUri('feishu:https://open.feishu.cn/open-apis/bot/v2/hook/abc-123?sign=s')).toBe(
      'feishu:https://open.feishu.cn/open-apis/bot/v2/hook/***?sign=***',
    );
    expect(redactText('POST https://hooks.slack.com/services/T0/B0/XYZ failed')).toBe(
      'POST https://hooks.slack.com/services/*** failed',
    );
    expect(redactUri('webhook:https://example.com/hooks/ok?x=1')).toBe(
      'webhook:https://example.com/hooks/ok?x=1',
    );
  });
});

describe('redaction is linear', () => {
  // "a." x 40k took 3.1 s: the URL scheme pattern restarted at every word boundary.
  it.each([
    ['a.', 40_000],
    ['a-', 100_000],
    ['x=', 100_000],
    ['"k":"', 50_000],
    ['/services/T1/B1/', 10_000],
    ['https://', 20_000],
  ])('%j x %i in well under a second', (unit, times) => {
    const text = unit.repeat(times);
    const started = performance.now();
    redactText(text);
    redactUri(`x:?${text}=1&${text}`);
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe('secret paths a server echoes without the URL around them', () => {
  it.each([
    ['Cannot POST /open-apis/bot/v2/hook/abc-123-def', 'Cannot POST /open-apis/bot/v2/hook/***'],
    ['Cannot POST /services/T0001/B0001/XyZsecret', 'Cannot POST /services/T0001/B0001/***'],
    ['no route /workflows/T0001/A02/XyZsecret', 'no route /workflows/T0001/***'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary paths alone', () => {
    const text = 'GET /api/v1/namespaces/default/services/web failed';
    expect(redactText(text)).toBe(text);
  });
});

describe('credential headers in text and in the header option', () => {
  it('hides echoed credential headers and JSON members', () => {
    const out = redactText(
      'got Authorization: Bearer tok1; X-Auth-Key: xak2, {"api_key":"k3","ocp-apim-subscription-key":"k4","level":"Warning"}',
    );
    for (const secret of ['tok1', 'xak2', 'k3', 'k4']) expect(out).not.toContain(secret);
    expect(out).toContain('"level":"Warning"');
  });

  it('keeps prose that merely mentions a secret word', () => {
    const text =
      "DingTalk refused the signature: check that `sign` is this robot's signing secret (SEC...)";
    expect(redactText(text)).toBe(text);
  });

  it.each([
    [
      'webhook:http://h?header=Ocp-Apim-Subscription-Key=abc',
      'header=Ocp-Apim-Subscription-Key=***',
    ],
    ['webhook:http://h?header=X-Auth-Key=abc', 'header=X-Auth-Key=***'],
    ['webhook:http://h?header=Authorization:Bearer%20abc', 'header=Authorization:***'],
  ])('%s', (uri, expected) => {
    expect(redactUri(uri)).toContain(expected);
    expect(redactUri(uri)).not.toContain('abc');
  });
});
