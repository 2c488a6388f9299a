import { describe, expect, it } from 'vitest';
import { writeError } from '../src/answer.js';
import { TableProblem } from '../src/table.js';

/** An error as mysql2 makes it from the server's answer. */
function serverError(code: string, errno: number, sqlMessage: string) {
  return Object.assign(new Error(sqlMessage), { code, errno, sqlMessage, sqlState: 'HY000' });
}

describe("the server's errors", () => {
  it.each([
    ['ER_LOCK_DEADLOCK', 1213],
    ['ER_LOCK_WAIT_TIMEOUT', 1205],
    ['ER_CON_COUNT_ERROR', 1040],
    ['ER_SERVER_SHUTDOWN', 1053],
    ['PROTOCOL_CONNECTION_LOST', 0],
  ])('%s is retryable', (code, errno) => {
    expect(writeError('mysql', serverError(code, errno, 'x')).retryable).toBe(true);
  });

  it.each([
    ['ER_ACCESS_DENIED_ERROR', 1045, /check the user and password/],
    ['ER_BAD_DB_ERROR', 1049, /database does not exist/],
    ['ER_NO_SUCH_TABLE', 1146, /create_table=true/],
    ['ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 1366, /does not fit its column/],
    ['ER_NET_PACKET_TOO_LARGE', 1153, /batch.maxBytes/],
  ])('%s is permanent and says what to fix', (code, errno, hint) => {
    const error = writeError('mysql', serverError(code, errno, 'the server says'));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(hint);
    expect(error.message).toContain(`${code} (${errno}): the server says`);
  });

  it('leaves network errors and certificates to the kit: refused is retryable, untrusted permanent', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
      code: 'ECONNREFUSED',
    });
    expect(writeError('mysql', refused).retryable).toBe(true);
    const selfSigned = Object.assign(new Error('self-signed'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(writeError('mysql', selfSigned).retryable).toBe(false);
  });

  it.each([
    ['self-signed certificate in certificate chain', false],
    ['unable to verify the first certificate', false],
    [
      "Hostname/IP does not match certificate's altnames: IP: 10.0.0.9 is not in the cert's list",
      false,
    ],
    ['Client network socket disconnected before secure TLS connection was established', true],
  ])(
    "mysql2's HANDSHAKE_SSL_ERROR '%s': retryable %s (its message is all that is left)",
    (text, retryable) => {
      const error = writeError(
        'mysql',
        Object.assign(new Error(text), { code: 'HANDSHAKE_SSL_ERROR', fatal: true }),
      );
      expect(error.retryable).toBe(retryable);
      if (!retryable) expect(error.message).toMatch(/give the CA that signed it as tls_ca/);
    },
  );

  it('reports a table in another layout as permanent', () => {
    const error = writeError('mysql', new TableProblem("the table 't' has no column count"));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('has no column count');
  });
});
