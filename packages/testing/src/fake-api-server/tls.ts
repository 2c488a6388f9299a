import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, PEM. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
}

/**
 * A self-signed certificate for 127.0.0.1 (and localhost), made by openssl:
 * what the fake API server serves with `tls: true`. The certificate is its own CA.
 */
export function selfSignedCertificate(): TlsIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-tls-'));
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/**
 * A folder laid out like a pod's service-account mount (`token`, `ca.crt`,
 * `namespace`), for `inClusterConfig({ serviceAccountDir })`.
 */
export function writeServiceAccountDir(options: {
  token: string;
  ca: string;
  namespace?: string;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-sa-'));
  writeFileSync(join(dir, 'token'), options.token);
  writeFileSync(join(dir, 'ca.crt'), options.ca);
  writeFileSync(join(dir, 'namespace'), options.namespace ?? 'default');
  return dir;
}
