export { SINK_NAME, type SlsOptions, sls, sls as default } from './definition.js';
export { COMPRESSIONS, type SlsCompression, slsOptions } from './options.js';
export { MAX_GROUP_BYTES, MAX_LOGS_PER_GROUP } from './split.js';
