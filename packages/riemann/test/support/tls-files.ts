import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in a temp dir. */
export function makeTlsFiles(): { dir: string; ca: string; cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-riemann-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (args: string) => execFileSync('openssl', args.split(' '), { stdio: 'pipe' });
  writeFileSync(at('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    `req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=testCA -keyout ${at('ca.key')} -out ${at('ca.pem')}`,
  );
  openssl(
    `req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout ${at('server.key')} -out ${at('server.csr')}`,
  );
  openssl(
    `x509 -req -in ${at('server.csr')} -CA ${at('ca.pem')} -CAkey ${at('ca.key')} -CAcreateserial -days 2 -extfile ${at('san.cnf')} -out ${at('server.pem')}`,
  );
  return {
    dir,
    ca: at('ca.pem'),
    cert: readFileSync(at('server.pem')),
    key: readFileSync(at('server.key')),
  };
}
