import type { KubeEvent } from '../event/model.js';
import type { EventFilter } from './combinators.js';
import { FilterSpecError } from './errors.js';
import { compileIncludeExclude, type IncludeExclude, type Matchers } from './fields.js';

export interface NamespaceSpec extends IncludeExclude {
  /**
   * Whether events about cluster-scoped objects (Node, Namespace,
   * PersistentVolume...) pass: they have no namespace to match.
   * @default true (node trouble matters to every team)
   */
  clusterScoped?: boolean;
}

/**
 * The namespace an event is about: the involved object's; for an event that
 * names no object at all, the event's own. '' means a cluster-scoped object
 * (its events live in `default` or `kube-system`, which says nothing about it).
 */
export function subjectNamespace(e: KubeEvent): string {
  const o = e.involvedObject;
  if (o.namespace !== '') return o.namespace;
  return o.kind === '' && o.name === '' ? e.namespace : '';
}

/**
 * On the namespace an event is about (see `subjectNamespace`). Cluster-scoped
 * objects skip include/exclude and are kept or dropped by `clusterScoped` alone.
 */
export function byNamespace(spec: NamespaceSpec): EventFilter {
  return namespaceFilter(compileIncludeExclude(spec, 'namespaces'), spec.clusterScoped);
}

/** Shared with the kube-eventer mapping, which compiles names as exact. */
export function namespaceFilter(m: Matchers, clusterScoped: unknown = true): EventFilter {
  if (typeof clusterScoped !== 'boolean') {
    throw new FilterSpecError('clusterScoped', clusterScoped, 'expected a boolean');
  }
  const { include, exclude } = m;
  return (e) => {
    const ns = subjectNamespace(e);
    if (ns === '') return clusterScoped;
    return (include === undefined || include(ns)) && (exclude === undefined || !exclude(ns));
  };
}
