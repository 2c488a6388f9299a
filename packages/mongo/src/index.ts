export { type MongoOptions, mongo, mongo as default, SINK_NAME } from './definition.js';
export { mongoOptions } from './options.js';
