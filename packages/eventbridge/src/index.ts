export { MAX_ENTRIES, MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from './chunks.js';
export { type CloudEvent, EVENT_SOURCE } from './cloud-event.js';
export {
  type EventbridgeOptions,
  eventbridge,
  eventbridge as default,
  SINK_NAME,
} from './definition.js';
export { eventbridgeOptions } from './options.js';
