import { createSinkFromUri, type Sink } from '@keventer/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDsn } from '../src/dsn.js';
import { mysql } from '../src/index.js';

const sinks: Sink[] = [];
/** The options the sink got from a URI, read back through a sink it created (no server needed). */
async function created(uri: string): Promise<Sink> {
  const sink = await mysql.fromUri(uri);
  sinks.push(sink);
  return sink;
}

describe("kube-eventer's URI", () => {
  it('reads the Go DSN verbatim, its parameters and the table option', async () => {
    const uri = 'mysql:?root:s3cr3t@tcp(db.example:3307)/kube_eventer?charset=utf8&table=k8s_event';
    const sink = await created(uri);
    expect(sink.name).toBe('mysql');
    expect(parseDsn('root:s3cr3t@tcp(db.example:3307)/kube_eventer?charset=utf8')).toEqual({
      user: 'root',
      password: 's3cr3t',
      host: 'db.example',
      port: 3307,
      database: 'kube_eventer',
      query: 'charset=utf8',
    });
  });

  it('takes the odd forms: no port, unix sockets, IPv6, passwords holding @ : / and ?', () => {
    expect(parseDsn('u:p@tcp(db)/k8s')).toMatchObject({ host: 'db', port: 3306 });
    expect(parseDsn('u:p@/k8s')).toMatchObject({ host: '127.0.0.1', port: 3306 });
    expect(parseDsn('u@unix(/run/mysqld/mysqld.sock)/k8s')).toMatchObject({
      socketPath: '/run/mysqld/mysqld.sock',
      database: 'k8s',
    });
    expect(parseDsn('u:p@tcp([::1]:3306)/k8s')).toMatchObject({ host: '::1', port: 3306 });
    expect(parseDsn('u:p@ss:w/o?rd@tcp(h:1)/k8s?tls=true')).toMatchObject({
      user: 'u',
      password: 'p@ss:w/o?rd',
      database: 'k8s',
      query: 'tls=true',
    });
    expect(parseDsn('mysql://u:p%40ss@h:3310/k8s?table=t')).toMatchObject({
      user: 'u',
      password: 'p@ss',
      host: 'h',
      port: 3310,
      database: 'k8s',
      query: 'table=t',
    });
  });

  it('passes batch.* keys to the delivery engine, not to the DSN', async () => {
    const sink = await created('mysql:?u:p@tcp(h:3306)/k8s?charset=utf8&batch.maxEvents=50');
    expect(sink.delivery?.uri).toEqual({ 'batch.maxEvents': '50' });
  });

  it('refuses bad values at startup, each named, and shows no password', async () => {
    const message = await mysql
      .fromUri('mysql:?root:Hunter2Secret@tcp(h:99999)/k8s?charset=latin1&tabel=x&tls=maybe')
      .catch((err: Error) => err.message);
    expect(message).toMatch(/unknown option 'tabel'/);
    expect(message).toMatch(/option 'tls': 'maybe'/);
    expect(message).not.toContain('Hunter2Secret');
    const later = await mysql
      .fromUri('mysql:?root:Hunter2Secret@tcp(h:99999)/k8s?charset=latin1&table=a-b')
      .catch((err: Error) => err.message);
    expect(later).toMatch(/address 'h:99999' is not host:port/);
    expect(later).toMatch(/charset': 'latin1'/);
    expect(later).toMatch(/table': 'a-b' is not a table name/);
    expect(later).not.toContain('Hunter2Secret');
  });

  it('refuses a DSN without a database, another network, a missing TLS file', async () => {
    await expect(mysql.fromUri('mysql:?u:p@tcp(h:3306)/')).rejects.toThrow(/names no database/);
    await expect(mysql.fromUri('mysql:?u:p@udp(h:3306)/k8s')).rejects.toThrow(/network 'udp'/);
    await expect(mysql.fromUri('mysql:?u:p@tcp(h)')).rejects.toThrow(/'\/dbname' is missing/);
    await expect(mysql.fromUri('mysql:?u:p@tcp(h)/k8s?tls_ca=%2Fno%2Fca.pem')).rejects.toThrow(
      /tls_ca': cannot read '\/no\/ca.pem' \(ENOENT\)/,
    );
    await expect(mysql({ dsn: 'u:p@tcp(h)/k8s', password: 'other' })).rejects.toThrow(
      /password is given twice/,
    );
  });

  it('is found by createSinkFromUri and prints the URI without the password', async () => {
    const { sink } = await createSinkFromUri('mysql:?root:Hunter2Secret@tcp(h:3306)/k8s');
    sinks.push(sink);
    expect(sink.name).toBe('mysql');
    const error = await mysql
      .fromUri('mysql:?root:Hunter2Secret@tcp(h:3306)/k8s?nope=1')
      .catch((err: Error) => err.message);
    expect(error).toContain("'mysql:?root:***@tcp(h:3306)/k8s");
    expect(error).not.toContain('Hunter2Secret');
  });
});

// The pools were never used: ending them opens nothing.
afterAll(async () => {
  for (const sink of sinks) await sink.close?.();
});
