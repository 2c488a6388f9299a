export { type InfluxdbOptions, influxdb, influxdb as default, SINK_NAME } from './definition.js';
export {
  APIS,
  type InfluxApi,
  type InfluxLayout,
  type InfluxPrecision,
  influxdbOptions,
  LAYOUTS,
  PRECISIONS,
} from './options.js';
