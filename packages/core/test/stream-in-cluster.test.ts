import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inClusterConfig, StreamConfigError } from '../src/index.js';

function serviceAccountDir(token = 'first-token'): string {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-sa-'));
  writeFileSync(join(dir, 'token'), `${token}\n`);
  writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
  return dir;
}

/** As the kubelet rotates: a new file (new inode) renamed over the old one. */
function rotate(dir: string, token: string): void {
  writeFileSync(join(dir, 'token.tmp'), token);
  renameSync(join(dir, 'token.tmp'), join(dir, 'token'));
}

async function authorizationOf(config: ReturnType<typeof inClusterConfig>) {
  const request: RequestOptions = {};
  await config.applyToHTTPSOptions(request);
  return { authorization: (request.headers as Record<string, string>).authorization, request };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('inClusterConfig', () => {
  it('takes the server from KUBERNETES_SERVICE_HOST/PORT, bracketing IPv6', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', 'fd00::1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const config = inClusterConfig({ serviceAccountDir: serviceAccountDir() });
    expect(config.getCurrentCluster()?.server).toBe('https://[fd00::1]:443');
  });

  it('sends the token as a bearer and trusts ca.crt', async () => {
    const config = inClusterConfig({
      serviceAccountDir: serviceAccountDir(),
      server: 'https://k:6443',
    });
    const { authorization, request } = await authorizationOf(config);
    expect(authorization).toBe('Bearer first-token');
    expect(String(request.ca)).toBe('CA PEM');
  });

  it('reads a rotated token at the next request', async () => {
    const dir = serviceAccountDir();
    const config = inClusterConfig({ serviceAccountDir: dir, server: 'https://k:6443' });
    expect((await authorizationOf(config)).authorization).toBe('Bearer first-token');
    rotate(dir, 'second-token');
    expect((await authorizationOf(config)).authorization).toBe('Bearer second-token');
  });

  it('keeps the last token while the file is briefly gone', async () => {
    const dir = serviceAccountDir();
    const config = inClusterConfig({ serviceAccountDir: dir, server: 'https://k:6443' });
    rmSync(join(dir, 'token'));
    expect((await authorizationOf(config)).authorization).toBe('Bearer first-token');
  });

  it('refuses at startup a folder without a token, naming the file and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-sa-'));
    const attempt = () => inClusterConfig({ serviceAccountDir: dir, server: 'https://k:6443' });
    expect(attempt).toThrow(StreamConfigError);
    expect(attempt).toThrow(`${join(dir, 'token')} could not be read (ENOENT)`);
    expect(attempt).toThrow(/automountServiceAccountToken/);
  });

  it('refuses outside a pod when no server is given', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    expect(() => inClusterConfig({ serviceAccountDir: serviceAccountDir() })).toThrow(
      /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT/,
    );
  });

  it('core loads @kubernetes/client-node only through the lazy require in kube-config.ts', () => {
    // A top-level import would cost every user ~100 MiB and half a second at startup.
    const src = join(import.meta.dirname, '../src');
    const eager = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        readFileSync(join(src, file), 'utf8')
          .split('\n')
          .filter((line) => /['"]@kubernetes\/client-node['"]/.test(line))
          .filter(
            (line) => !/^\s*(import|export) type /.test(line) && !line.includes('typeof import('),
          )
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(eager).toEqual([
      "stream/kube-config.ts: return createRequire(import.meta.url)('@kubernetes/client-node');",
    ]);
  });
});
