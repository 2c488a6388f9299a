import { StreamConfigError } from './errors.js';

/** TLS and protocol failures that come from the kubeconfig's settings, with how to fix each. */
const SETTING_REFUSED: Record<string, string> = {
  ERR_INVALID_PROTOCOL:
    "the server URL's protocol does not match the connection settings: use https://, or http:// with insecure-skip-tls-verify: true",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the server's certificate is self-signed and not trusted: set the cluster's certificate-authority(-data) to the CA that signed it",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's certificate chain ends in a CA that is not trusted: set the cluster's certificate-authority(-data) to that CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's certificate does not verify against the trusted CAs: set the cluster's certificate-authority(-data) to the CA that signed it",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the issuer of the server's certificate is not trusted: set the cluster's certificate-authority(-data) to the CA that signed it",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "the server's certificate is not valid for the server's host name: use a host name the certificate names, or set tls-server-name",
};

/**
 * The error as a {@link StreamConfigError} when waiting cannot heal it (a
 * setting refused by TLS or the protocol), else undefined (retry). 401 and 403
 * are not here: RBAC can be fixed while the stream keeps trying.
 */
export function asConfigError(error: unknown, server: string): StreamConfigError | undefined {
  if (error instanceof StreamConfigError) return error;
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  let fix = code ? SETTING_REFUSED[code] : undefined;
  // https:// to a server that speaks plain HTTP.
  if (!fix && code === 'EPROTO' && /wrong version number|packet length too long/.test(message)) {
    fix = 'the server does not speak TLS: check the server URL (port and protocol)';
  }
  if (!fix) return undefined;
  return new StreamConfigError(`cannot connect to ${server} (${code}): ${fix}`, { cause: error });
}
