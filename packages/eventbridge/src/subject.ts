import type * as kit from '@keventer/core/kit';

/** Where the events come from: the cluster, as kube-eventer names it in the subject. */
export interface ClusterRef {
  readonly regionId: string;
  readonly accountId: string;
  readonly clusterId: string;
}

/**
 * kube-eventer's subject, `acs:cs:<region>:<account>:<cluster>/apis/<apiVersion>/namespaces/<ns>/<resource>/<name>`,
 * built the same way: the resource guessed from the kind as apimachinery's
 * UnsafeGuessKindToResource does, and an apiVersion with a dot but no slash
 * marked `/versionUnknown`. A cluster-scoped object keeps the empty
 * namespace (`namespaces//nodes/n1`), as kube-eventer writes it, so rules
 * matching its subjects keep matching.
 */
export function eventSubject(cluster: ClusterRef, object: kit.KubeEvent['involvedObject']): string {
  let version = object.apiVersion;
  if (version.includes('.') && !version.includes('/')) version = `${version}/versionUnknown`;
  const { regionId, accountId, clusterId } = cluster;
  return `acs:cs:${regionId}:${accountId}:${clusterId}/apis/${version}/namespaces/${object.namespace}/${guessResource(object.kind)}/${object.name}`;
}

/** Pod -> pods, Ingress -> ingresses, NetworkPolicy -> networkpolicies, Endpoints -> endpoints. */
export function guessResource(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular === '' || singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}
