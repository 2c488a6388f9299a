export { type InfluxdbOptions, influxdb, influxdb as default, SINK_NAME } from './definition.js';
export { type Point, toLine, toLines } from './line-protocol.js';
export {
  type InfluxLayout,
  type InfluxPrecision,
  influxdbOptions,
  LAYOUTS,
  PRECISIONS,
} from './options.js';
export { occurrenceTime, type PointLayout, toPoint } from './points.js';
