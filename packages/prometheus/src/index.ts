export type { MetricsSource, PrometheusOptions } from './forwarder-metrics.js';
export { registerForwarderMetrics } from './forwarder-metrics.js';
