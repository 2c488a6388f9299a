// The sinks `npm run bench:sinks` measures, in the order of its table and last line.
// A new sink: a module like mysql.ts exporting a SinkBench, added here.
import { influxdbBench } from './influxdb.js';
import { mysqlBench } from './mysql.js';
import type { SinkBench } from './types.js';

export const SINK_BENCHES: readonly SinkBench[] = [mysqlBench, influxdbBench];

export function sinkBench(name: string): SinkBench {
  const found = SINK_BENCHES.find((bench) => bench.name === name);
  if (!found) throw new Error(`no sink benchmark named '${name}' in bench/sinks/registry.ts`);
  return found;
}
