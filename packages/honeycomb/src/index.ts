export { type HoneycombOptions, honeycomb, honeycomb as default, SINK_NAME } from './definition.js';
export { MAX_STRING_BYTES } from './event-data.js';
export { DEFAULT_API_HOST, honeycombOptions } from './options.js';
export { MAX_BODY_BYTES } from './request-bodies.js';
