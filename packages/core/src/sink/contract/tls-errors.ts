/**
 * TLS certificate failures (Node's OpenSSL codes): the server's certificate
 * is not one this process trusts, so every attempt fails alike until someone
 * fixes it. Each says how.
 */

const UNTRUSTED =
  "the server's certificate is not signed by a CA this process trusts: if it is your own CA, give its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise use the service's real address";

const CERTIFICATE_HINTS: ReadonlyMap<string, string> = new Map([
  ['DEPTH_ZERO_SELF_SIGNED_CERT', `the certificate is self-signed; ${UNTRUSTED}`],
  ['SELF_SIGNED_CERT_IN_CHAIN', `the chain ends in a self-signed CA; ${UNTRUSTED}`],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', `the chain is incomplete or unknown; ${UNTRUSTED}`],
  ['UNABLE_TO_GET_ISSUER_CERT', `the issuer is unknown; ${UNTRUSTED}`],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', `the issuer is unknown; ${UNTRUSTED}`],
  ['CERT_UNTRUSTED', UNTRUSTED],
  ['CERT_REJECTED', UNTRUSTED],
  ['CERT_SIGNATURE_FAILURE', "the certificate's signature is invalid: the server must be fixed"],
  [
    'CERT_HAS_EXPIRED',
    "the server's certificate has expired (or this machine's clock is wrong): renew the certificate or fix the clock",
  ],
  ['CERT_NOT_YET_VALID', "the server's certificate is not valid yet: check this machine's clock"],
  ['CERT_REVOKED', "the server's certificate was revoked: the server must get a new one"],
  [
    'ERR_TLS_CERT_ALTNAME_INVALID',
    "the certificate does not name this host: use the host name the certificate is for (or fix the server's certificate)",
  ],
  [
    'HOSTNAME_MISMATCH',
    'the certificate does not name this host: use the host name the certificate is for',
  ],
]);

/** The how-to-fix for a certificate error code, or undefined when `code` is not one. */
export function certificateHint(code: string): string | undefined {
  return CERTIFICATE_HINTS.get(code);
}
