import { describe, expect, it } from 'vitest';
import { isSecretKey, redactText, redactUri } from '../src/sink/redact.js';

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
