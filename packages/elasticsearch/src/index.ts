export {
  type ElasticsearchOptions,
  elasticsearch,
  elasticsearch as default,
  SINK_NAME,
} from './definition.js';
export { type EsLayout, elasticsearchOptions, LAYOUTS, OP_TYPES, VERSIONS } from './options.js';
