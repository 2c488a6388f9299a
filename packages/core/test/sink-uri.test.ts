import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SinkConfigError } from '../src/sink/contract/errors.js';
import { parseSinkUri } from '../src/sink/uri/uri.js';

// Every secret used below; none may ever show up in printed output.
const SECRETS = [
  'TOKEN123',
  'SECsign456',
  'S3CR3T',
  'Bearer-xyz',
  'esPW',
  'kafkaPW',
  'AKSsecret',
  'rootpw',
  'mysqlpw',
  'mongopw',
  'WK789',
];

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

function params(uri: string): Record<string, readonly string[]> {
  return Object.fromEntries(parseSinkUri(uri, { env: {} }).params);
}

describe('parseSinkUri: the URI forms of kube-eventer.md', () => {
  it('dingtalk: URL target, access_token, sign and a repeated label', () => {
    const uri = parseSinkUri(
      'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=TOKEN123&label=cluster1&label=prod&level=Warning&sign=SECsign456',
      { env: {} },
    );
    expect(uri.scheme).toBe('dingtalk');
    expect(uri.target).toBe('https://oapi.dingtalk.com/robot/send');
    expect(Object.fromEntries(uri.params)).toEqual({
      access_token: ['TOKEN123'],
      label: ['cluster1', 'prod'],
      level: ['Warning'],
      sign: ['SECsign456'],
    });
    expect(uri.toString()).toBe(
      'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=***&label=cluster1&label=prod&level=Warning&sign=***',
    );
  });

  it('wechat: query only, corp_secret redacted', () => {
    const uri = parseSinkUri(
      'wechat:?corp_id=ww1&corp_secret=S3CR3T&agent_id=1000002&to_user=a,b',
      {
        env: {},
      },
    );
    expect(uri.target).toBe('');
    expect(uri.params.get('to_user')).toEqual(['a,b']);
    expect(uri.params.get('corp_secret')).toEqual(['S3CR3T']);
    expect(uri.toString()).toBe('wechat:?corp_id=ww1&corp_secret=***&agent_id=1000002&to_user=a,b');
  });

  it('webhook: repeated header=K=V keeps the second "=", secret headers redacted', () => {
    const uri = parseSinkUri(
      'webhook:http://hook.example.com/api?level=Warning&method=POST&header=Content-Type=application/json&header=Authorization=Bearer-xyz',
      { env: {} },
    );
    expect(uri.target).toBe('http://hook.example.com/api');
    expect(uri.params.get('header')).toEqual([
      'Content-Type=application/json',
      'Authorization=Bearer-xyz',
    ]);
    expect(uri.toString()).toContain('header=Content-Type=application/json');
    expect(uri.toString()).toContain('header=Authorization=***');
  });

  it('elasticsearch: repeated nodes that are URLs themselves', () => {
    const p = params(
      'elasticsearch:http://es:9200?nodes=http://a:9200&nodes=http://b:9200&index=k8s&ver=7&esUserName=elastic&esUserSecret=esPW',
    );
    expect(p.nodes).toEqual(['http://a:9200', 'http://b:9200']);
    expect(p.index).toEqual(['k8s']);
    expect(p.esUserSecret).toEqual(['esPW']);
  });

  it('kafka: repeated brokers with ports', () => {
    const uri = parseSinkUri(
      'kafka:?brokers=k1:9092&brokers=k2:9092&eventstopic=events&compression=gzip&user=u&password=kafkaPW',
      { env: {} },
    );
    expect(uri.target).toBe('');
    expect(uri.params.get('brokers')).toEqual(['k1:9092', 'k2:9092']);
    expect(uri.toString()).toBe(
      'kafka:?brokers=k1:9092&brokers=k2:9092&eventstopic=events&compression=gzip&user=u&password=***',
    );
  });

  it('sls: label=K,V repeated, accessKeySecret redacted', () => {
    const uri = parseSinkUri(
      'sls:https://sls.aliyuncs.com?project=p&logStore=ls&regionId=cn-hangzhou&accessKeyId=id&accessKeySecret=AKSsecret&label=cluster,c1&label=env,prod',
      { env: {} },
    );
    expect(uri.params.get('label')).toEqual(['cluster,c1', 'env,prod']);
    expect(uri.params.get('logStore')).toEqual(['ls']);
    expectNoSecrets(uri.toString());
  });

  it('influxdb: user/pw, pw redacted', () => {
    const uri = parseSinkUri(
      'influxdb:http://influx:8086?user=root&pw=rootpw&db=k8s&withfields=true',
      {
        env: {},
      },
    );
    expect(uri.target).toBe('http://influx:8086');
    expect(uri.params.get('withfields')).toEqual(['true']);
    expect(uri.toString()).toBe(
      'influxdb:http://influx:8086?user=root&pw=***&db=k8s&withfields=true',
    );
  });

  it('mysql: the Go DSN stays available as rawQuery, its password redacted', () => {
    const uri = parseSinkUri(
      'mysql:?root:mysqlpw@tcp(mysql:3306)/kube_eventer?charset=utf8&table=kube_event',
      {
        env: {},
      },
    );
    expect(uri.scheme).toBe('mysql');
    expect(uri.target).toBe('');
    expect(uri.rawQuery).toBe(
      'root:mysqlpw@tcp(mysql:3306)/kube_eventer?charset=utf8&table=kube_event',
    );
    expect(uri.params.get('table')).toEqual(['kube_event']);
    expect(uri.toString()).toBe(
      'mysql:?root:***@tcp(mysql:3306)/kube_eventer?charset=utf8&table=kube_event',
    );
  });

  it('mysql: a password containing "@" is still redacted whole', () => {
    const uri = parseSinkUri('mysql:?root:my@sqlpw@tcp(h:3306)/db', { env: {} });
    expect(uri.toString()).toBe('mysql:?root:***@tcp(h:3306)/db');
  });

  it('mongo: a mongodb:// URL in the query, userinfo redacted', () => {
    const uri = parseSinkUri('mongo:?mongodb://user:mongopw@mongo:27017', { env: {} });
    expect(uri.rawQuery).toBe('mongodb://user:mongopw@mongo:27017');
    expect(uri.toString()).toBe('mongo:?mongodb://user:***@mongo:27017');
  });

  it('honeycomb: writekey redacted, apihost URL kept', () => {
    const uri = parseSinkUri(
      'honeycomb:?dataset=k8s&writekey=WK789&apihost=https://api.honeycomb.io/',
      {
        env: {},
      },
    );
    expect(uri.params.get('apihost')).toEqual(['https://api.honeycomb.io/']);
    expect(uri.toString()).toBe(
      'honeycomb:?dataset=k8s&writekey=***&apihost=https://api.honeycomb.io/',
    );
  });

  it('eventbridge: accessKeySecret redacted', () => {
    const uri = parseSinkUri(
      'eventbridge:?clusterId=c1&regionId=cn-hangzhou&accessKeyId=id&accessKeySecret=AKSsecret&eventBusName=default',
      { env: {} },
    );
    expect(uri.params.get('eventBusName')).toEqual(['default']);
    expect(uri.toString()).toContain('accessKeySecret=***');
    expectNoSecrets(uri.toString());
  });

  it('riemann: split at the FIRST ":" so host:port stays the target', () => {
    const uri = parseSinkUri('riemann:riemann:5555?ttl=60&batchsize=1000&tags=x', { env: {} });
    expect(uri.scheme).toBe('riemann');
    expect(uri.target).toBe('riemann:5555');
    expect(uri.params.get('ttl')).toEqual(['60']);
  });

  it('log: a bare name, with or without the colon', () => {
    for (const text of ['log', 'log:', '  log  ']) {
      const uri = parseSinkUri(text, { env: {} });
      expect(uri.scheme).toBe('log');
      expect(uri.target).toBe('');
      expect(uri.params.size).toBe(0);
      expect(uri.rawQuery).toBe('');
      expect(uri.toString()).toBe('log');
    }
  });

  it('decodes %XX and "+" like Go url.ParseQuery', () => {
    expect(params('webhook:http://h/x?header=X-Note=a+b%26c&kinds=Pod%2CNode')).toEqual({
      header: ['X-Note=a b&c'],
      kinds: ['Pod,Node'],
    });
  });
});

describe('parseSinkUri: environment expansion', () => {
  const env = { TOKEN: 'TOKEN123', SIGN: 'SECsign456', EMPTY: '' };

  it(`expands $VAR and \${VAR} in the part after the name`, () => {
    const uri = parseSinkUri(
      `dingtalk:https://oapi.dingtalk.com/robot/send?access_token=$TOKEN&sign=\${SIGN}&label=x$EMPTY`,
      {
        env,
      },
    );
    expect(uri.params.get('access_token')).toEqual(['TOKEN123']);
    expect(uri.params.get('sign')).toEqual(['SECsign456']);
    expect(uri.params.get('label')).toEqual(['x']);
    expectNoSecrets(uri.toString());
  });

  it('reads process.env by default', () => {
    process.env.KEVENTER_TEST_HOST = 'es.internal';
    try {
      expect(parseSinkUri('elasticsearch:http://$KEVENTER_TEST_HOST:9200').target).toBe(
        'http://es.internal:9200',
      );
    } finally {
      delete process.env.KEVENTER_TEST_HOST;
    }
  });

  it('"$$" is a literal "$"', () => {
    expect(parseSinkUri('webhook:http://h/x?reason=^Back$$', { env }).params.get('reason')).toEqual(
      ['^Back$'],
    );
  });

  it('an unset variable is an error naming it (all of them at once)', () => {
    const run = () =>
      parseSinkUri(`dingtalk:https://h/send?access_token=$MISSING_TOKEN&sign=\${MISSING_SIGN}`, {
        env,
      });
    expect(run).toThrow(SinkConfigError);
    try {
      run();
    } catch (err) {
      const e = err as SinkConfigError;
      expect(e.problems).toEqual([
        'environment variable $MISSING_TOKEN is not set',
        'environment variable $MISSING_SIGN is not set',
      ]);
      expect(e.message).toMatch(/^\[keventer\] \[dingtalk\] 2 problems in/);
      // The reference is not the secret: it stays readable in the message.
      expect(e.message).toContain('access_token=$MISSING_TOKEN');
    }
  });

  it(`a malformed \${} reference is an error`, () => {
    expect(() => parseSinkUri(`webhook:http://h/\${}`, { env })).toThrow(
      /bad variable reference '\$\{\}'/,
    );
  });

  it('a literal secret next to a missing variable is still redacted in the error', () => {
    const run = () =>
      parseSinkUri('dingtalk:https://h/send?access_token=TOKEN123&sign=$NOPE', { env });
    expect(run).toThrow(/\$NOPE is not set/);
    try {
      run();
    } catch (err) {
      expectNoSecrets((err as Error).message);
    }
  });
});

describe('parseSinkUri: delivery keys', () => {
  it('separates batch.*, buffer.*, request.* from the sink options', () => {
    const uri = parseSinkUri(
      'webhook:http://h/x?level=Warning&batch.maxEvents=500&request.timeoutMs=5000&buffer.whenFull=block&batch.timeoutMs=1000',
      { env: {} },
    );
    expect(uri.delivery).toEqual({
      'batch.maxEvents': '500',
      'batch.timeoutMs': '1000',
      'request.timeoutMs': '5000',
      'buffer.whenFull': 'block',
    });
    expect([...uri.params.keys()]).toEqual(['level']);
    // rawQuery is the query as written, delivery keys included.
    expect(uri.rawQuery).toContain('batch.maxEvents=500');
  });
});

describe('parseSinkUri: errors', () => {
  it.each([
    ['', /missing sink name/],
    [':http://h', /missing sink name/],
    ['DingTalk:https://h', /sink names are lowercase: write 'dingtalk'/],
    ['my sink:x', /invalid sink name 'my sink'/],
    ['console?color=never', /options need a ':' before the '\?': write 'console:\?\.\.\.'/],
    ['webhook:http://exa mple.com/x', /is not a valid URL/],
  ])('%j is refused', (text, pattern) => {
    expect(() => parseSinkUri(text, { env: {} })).toThrow(pattern);
  });

  it('a bad URL target with credentials does not leak them', () => {
    try {
      parseSinkUri('webhook:http://user:S3CR3T@exa mple.com/x', { env: {} });
      expect.unreachable();
    } catch (err) {
      expectNoSecrets((err as Error).message);
    }
  });
});

describe('ParsedSinkUri printing', () => {
  const uri = parseSinkUri(
    'dingtalk:https://user:S3CR3T@oapi.dingtalk.com/robot/send?access_token=TOKEN123&ACCESS_TOKEN=TOKEN123&Sign=SECsign456',
    { env: {} },
  );

  it('toString, String(), template literals, util.inspect and JSON are redacted', () => {
    const printed = [
      uri.toString(),
      String(uri),
      `${uri}`,
      inspect(uri),
      inspect({ nested: { uri } }, { depth: 5 }),
      JSON.stringify({ uri }),
    ];
    for (const text of printed) {
      expectNoSecrets(text);
      expect(text).toContain('oapi.dingtalk.com');
    }
    expect(uri.toString()).toBe(
      'dingtalk:https://user:***@oapi.dingtalk.com/robot/send?access_token=***&ACCESS_TOKEN=***&Sign=***',
    );
  });

  it('still gives the sink the real values', () => {
    expect(uri.target).toBe('https://user:S3CR3T@oapi.dingtalk.com/robot/send');
    expect(uri.params.get('access_token')).toEqual(['TOKEN123']);
  });
});
