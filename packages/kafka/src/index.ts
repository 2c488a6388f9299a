export { type KafkaOptions, kafka, kafka as default, SINK_NAME } from './definition.js';
export {
  COMPRESSIONS,
  FORMATS,
  type KafkaCompression,
  type KafkaFormat,
  type KafkaMessageKey,
  kafkaOptions,
  MESSAGE_KEYS,
  SASL_MECHANISMS,
} from './options.js';
export { OCCURRENCE_HEADER } from './value.js';
