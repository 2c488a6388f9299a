import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSinkError, type SinkError } from '@keventer/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { mysql } from '../src/index.js';
import { closing, event, freshDatabase, sql, write } from './support.js';

// scripts/mariadb/start.sh starts MariaDB with TLS: its CA's PEM file, and a
// user that REQUIRE SSL (a connection without TLS is refused, so a write
// through it proves the connection was encrypted).
const CA = process.env.MYSQL_TLS_CA ?? '';
const tlsUser = new URL(process.env.MYSQL_TLS_URL ?? 'mysql://x');
const PASSWORD = decodeURIComponent(tlsUser.password);

/** kube-eventer's URI as the TLS user, with `query` after the DSN. */
const uriFor = (database: string, query: string) =>
  `mysql:?${tlsUser.username}:${PASSWORD}@tcp(${tlsUser.hostname}:${tlsUser.port})/${database}?${query}`;

// A CA that signed nothing of the server's, made the way start.sh makes its own.
const other = mkdtempSync(join(tmpdir(), 'keventer-other-ca-'));
const OTHER_CA = join(other, 'ca.pem');
afterAll(() => rmSync(other, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(
    () => expect.fail('the write succeeded'),
    (err: unknown) => err,
  );
  expect(isSinkError(error)).toBe(true);
  return error as SinkError;
}

describe.runIf(CA)('mysql over TLS to MariaDB', () => {
  it('connects verifying the server against tls_ca, and writes', async () => {
    const db = await freshDatabase();
    const sink = closing(
      await mysql.fromUri(uriFor(db, `charset=utf8&tls=true&tls_ca=${encodeURIComponent(CA)}`)),
    );
    await write(sink, [event(), event()]);
    const rows = await sql<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${db}.kube_event`);
    expect(rows[0]?.n).toBe(2);
  });

  it('the TLS user is refused without TLS: the test above did use it', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db, 'charset=utf8')));
    const error = await failure(write(sink, [event()]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Access denied/);
    expect(`${error.message}${error.stack}`).not.toContain(PASSWORD);
  });

  it('a CA that did not sign the server certificate fails permanently, saying so, no password shown', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=not the server CA',
        '-keyout',
        join(other, 'ca-key.pem'),
        '-out',
        OTHER_CA,
      ],
      { stdio: 'ignore' },
    );
    const db = await freshDatabase();
    const sink = closing(
      await mysql.fromUri(uriFor(db, `tls=true&tls_ca=${encodeURIComponent(OTHER_CA)}`)),
    );
    const error = await failure(write(sink, [event()]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /HANDSHAKE_SSL_ERROR: self-signed certificate in certificate chain: the server's certificate did not verify: give the CA that signed it as tls_ca/,
    );
    expect(`${error.message}${error.stack}`).not.toContain(PASSWORD);
    // tls=skip-verify encrypts without checking: the same CA is then no obstacle.
    const unchecked = closing(
      await mysql.fromUri(uriFor(db, `tls=skip-verify&tls_ca=${encodeURIComponent(OTHER_CA)}`)),
    );
    await write(unchecked, [event()]);
    const rows = await sql<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${db}.kube_event`);
    expect(rows[0]?.n).toBe(1);
  });
});
