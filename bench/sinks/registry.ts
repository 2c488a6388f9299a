// The sinks `npm run bench:sinks` measures, in the order of its table and last line.
// A new sink: a module like mysql.ts exporting a SinkBench, added here.
import { discardBench } from './discard.js';
import { influxdbBench } from './influxdb.js';
import { kafkaBench } from './kafka.js';
import { mysqlBench } from './mysql.js';
import type { SinkBench } from './types.js';

export const SINK_BENCHES: readonly SinkBench[] = [mysqlBench, influxdbBench, kafkaBench];

/** Run first: the forwarder into a sink that writes nothing, the ceiling of the others. */
export const CEILING: SinkBench = discardBench;

export function sinkBench(name: string): SinkBench {
  const found = [CEILING, ...SINK_BENCHES].find((bench) => bench.name === name);
  if (!found) throw new Error(`no sink benchmark named '${name}' in bench/sinks/registry.ts`);
  return found;
}
