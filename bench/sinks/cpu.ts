// CPU time from /proc (Linux): of a process by pid, and of the whole machine, so
// a run can say what its parts cost and how busy the machine was besides them.
import { readFileSync } from 'node:fs';

// USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
const TICK_MS = 10;

/** User + system CPU ms of a process (its threads included), or NaN when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** The machine's busy and total CPU ms since boot, over all cores. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

/** A service's pid, from the state folder scripts/with-services.sh exports. */
export function servicePid(service: string): number | undefined {
  const dir = process.env.KEVENTER_SERVICES_STATE;
  if (!dir) return undefined;
  try {
    return Number(readFileSync(`${dir}/${service}/pid`, 'utf8').trim());
  } catch {
    return undefined;
  }
}
