export { allOf, anyOf, type EventFilter, not, passAll } from './combinators.js';
export { FilterSpecError } from './errors.js';
export {
  byKind,
  byMessage,
  byMinCount,
  byObjectName,
  byReason,
  byReportingComponent,
  type IncludeExclude,
} from './fields.js';
export {
  filterFromKubeEventerOptions,
  type KubeEventerFilterOptions,
  type KubeEventerMappingOptions,
} from './kube-eventer.js';
export { byLevel, byType, type EventType } from './level.js';
export { byNamespace, type NamespaceSpec, subjectNamespace } from './namespace.js';
export type { Pattern } from './pattern.js';
export { createFilter, type FilterFields, type FilterSpec } from './spec.js';
