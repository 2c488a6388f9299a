export { CONNECT_TIMEOUT_MS } from './connection.js';
export { type RiemannOptions, riemann, riemann as default, SINK_NAME } from './definition.js';
export { DEFAULT_PORT } from './endpoint.js';
export { DEFAULT_SERVER, riemannOptions } from './options.js';
