import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

const TOKEN = 'a5c19f3e02feba7bd5dfc22bfb04afa212359acfe86fd80eb159187097b7d014';
const SIGN = 'SEC4801ebab0yeuq924909668e5979f7d184b3f4bfac6a63ae36a';
const HMAC = 'hmac-secret-for-the-webhook';

describe('--dry-run', () => {
  it('prints the resolved routes with every secret masked, connects to nothing, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-dry-'));
    const config = join(dir, 'keventer.yaml');
    writeFileSync(
      config,
      `routes:
  - name: signed-hook
    sink:
      type: webhook
      options: { endpoint: 'http://127.0.0.1:9/hook', signing_secret: '${HMAC}' }
    filter: { namespaces: [prod] }
    delivery: { batch: { maxEvents: 50 } }
checkpoint: { type: file, path: ${join(dir, 'checkpoint.json')} }
`,
    );
    const { code, stdout, stderr } = await runCli(
      [
        // Nothing listens there: a dry run must not connect.
        '--source=kubernetes:http://127.0.0.1:1?inClusterConfig=false',
        `--sink=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=$DING_TOKEN&label=cluster1&sign=${SIGN}`,
        '--config',
        config,
        '--dry-run',
        '--log-format=text',
      ],
      { DING_TOKEN: TOKEN },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'source: kubernetes:http://127.0.0.1:1?inClusterConfig=false: API server http://127.0.0.1:1 without credentials',
    );
    expect(stdout).toContain(`checkpoint: file ${join(dir, 'checkpoint.json')}`);
    expect(stdout).toMatch(
      /- name: signed-hook\n\s+sink: webhook \{"endpoint":"http:\/\/127\.0\.0\.1:9\/hook","signing_secret":"\*\*\*"\}/,
    );
    expect(stdout).toMatch(/filter: \{"namespaces":\["prod"\]\}/);
    expect(stdout).toMatch(/batch\.maxEvents=50 /);
    expect(stdout).toMatch(
      /- name: dingtalk\n\s+sink: dingtalk:https:\/\/oapi\.dingtalk\.com\/robot\/send\?access_token=\*\*\*/,
    );
    // DingTalk's own defaults: 20 a minute, first occurrence at once and repeats as a digest.
    expect(stdout).toMatch(/request\.rateLimitNum=20 .*aggregate\.windowMs=300000/);
    for (const secret of [TOKEN, SIGN, HMAC]) expect(stdout).not.toContain(secret);
  }, 60_000);
});
