/** What a kubeconfig for the fake server points at. */
export interface KubeconfigOptions {
  server: string;
  token: string;
  /** Context (and cluster and user) name. @default 'fake' */
  name?: string;
  /** Default namespace of the context. @default 'default' */
  namespace?: string;
  /** The server's CA (PEM) for an https:// server; without it TLS verification is off. */
  ca?: string;
}

/**
 * Renders a kubeconfig YAML with one cluster, user and context, usable by
 * @kubernetes/client-node and kubectl. The cluster has
 * `insecure-skip-tls-verify: true`: client-node 1.x refuses an `http://`
 * server without it.
 */
export function renderKubeconfig({
  server,
  token,
  name = 'fake',
  namespace = 'default',
  ca,
}: KubeconfigOptions): string {
  const q = (value: string): string => JSON.stringify(value);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(name)}`,
    '  cluster:',
    `    server: ${q(server)}`,
    // client-node 1.x refuses plain http:// unless TLS verification is off.
    ca === undefined
      ? '    insecure-skip-tls-verify: true'
      : `    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
    'users:',
    `- name: ${q(name)}`,
    '  user:',
    `    token: ${q(token)}`,
    'contexts:',
    `- name: ${q(name)}`,
    '  context:',
    `    cluster: ${q(name)}`,
    `    user: ${q(name)}`,
    `    namespace: ${q(namespace)}`,
    `current-context: ${q(name)}`,
    'preferences: {}',
    '',
  ].join('\n');
}
