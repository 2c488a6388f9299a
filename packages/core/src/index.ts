export type { InvolvedObject, KubeEvent } from './event/model.js';
export { detectApiGroup, normalizeEvent } from './event/normalize.js';
export type { OccurrenceMark } from './event/occurrence.js';
export { isLaterOccurrence, occurrenceId, occurrenceMark } from './event/occurrence.js';
export type * from './event/wire.js';
