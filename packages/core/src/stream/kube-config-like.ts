import type { RequestOptions } from 'node:https';

/**
 * What keventer uses of a kubeconfig: any `KubeConfig` from
 * @kubernetes/client-node fits, from any copy. Structural so core's public
 * types do not pull in client-node's (and their isomorphic-ws, ws and
 * @types/node@24) for apps that type-check their dependencies.
 */
export interface KubeConfigLike {
  getCurrentContext(): string;
  getCurrentCluster(): {
    readonly name: string;
    readonly server: string;
    readonly skipTLSVerify?: boolean;
  } | null;
  getCurrentUser(): { readonly name: string } | null;
  /** Sets the authentication and TLS options of one request. */
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}
