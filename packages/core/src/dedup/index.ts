export { createDedup, type Dedup, type DedupStats } from './dedup.js';
export { eventKey, objectReasonKey } from './keys.js';
export {
  type CooldownDedupOptions,
  type DedupMode,
  type DedupOptions,
  DedupOptionsError,
  type UidDedupOptions,
} from './options.js';
