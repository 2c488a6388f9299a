import type { FlagSpec } from './go-flags.js';

/** kube-eventer's own flags, with its names, defaults and usage texts (its eventer.go). */
export const KUBE_EVENTER_FLAGS: readonly FlagSpec[] = [
  { name: 'source', kind: 'list', usage: 'source(s) to read events from' },
  { name: 'sink', kind: 'list', usage: 'external sink(s) that receive events' },
  {
    name: 'frequency',
    kind: 'duration',
    default: '30s',
    usage: 'The resolution at which Eventer pushes events to sinks',
    ignored:
      'each sink sends a batch when it is full or its batch.timeoutMs has passed (1s by default), not on a global tick; set batch.timeoutMs on a sink to batch longer',
  },
  {
    name: 'healthz-ip',
    kind: 'string',
    default: '0.0.0.0',
    usage: 'ip eventer health check service uses',
  },
  {
    name: 'healthz-port',
    kind: 'uint',
    default: '8084',
    usage: 'port eventer health check listens on (/healthz, /readyz, /metrics)',
  },
  {
    name: 'event-metrics',
    kind: 'bool',
    default: 'true',
    usage: 'whether to collect and export event metrics (/metrics)',
  },
  {
    name: 'max_procs',
    kind: 'int',
    default: '0',
    usage:
      'max number of CPUs that can be used simultaneously. Less than 1 for default (number of cores)',
    ignored: 'Node.js runs the forwarder on one thread; limit CPU with the container resources',
  },
  { name: 'version', kind: 'bool', default: 'false', usage: 'print version info and exit' },
];

const KLOG = "kube-eventer's klog flag; keventer logs with --log-format and --log-level, to stdout";

/** klog's flags, which kube-eventer registers too (klog.InitFlags): accepted, ignored. */
export const KLOG_FLAGS: readonly FlagSpec[] = (
  [
    ['v', 'int'],
    ['vmodule', 'string'],
    ['logtostderr', 'bool'],
    ['alsologtostderr', 'bool'],
    ['stderrthreshold', 'string'],
    ['log_dir', 'string'],
    ['log_file', 'string'],
    ['log_file_max_size', 'uint'],
    ['log_backtrace_at', 'string'],
    ['add_dir_header', 'bool'],
    ['skip_headers', 'bool'],
    ['skip_log_headers', 'bool'],
    ['one_output', 'bool'],
  ] as const
).map(([name, kind]) => ({ name, kind, usage: `klog: ${name} (ignored)`, ignored: KLOG }));

/** What keventer adds. */
export const KEVENTER_FLAGS: readonly FlagSpec[] = [
  {
    name: 'config',
    kind: 'string',
    usage:
      'a keventer.yaml: routes with filters, dedup, aggregation, delivery; checkpoint; leader election; logs',
  },
  {
    name: 'dry-run',
    kind: 'bool',
    default: 'false',
    usage: 'print the resolved source and routes (secrets masked) and exit',
  },
  {
    name: 'log-format',
    kind: 'string',
    usage: 'json or text (default: json when stdout is not a terminal, else text)',
  },
  { name: 'log-level', kind: 'string', default: 'info', usage: 'debug, info, warn or error' },
  {
    name: 'drain-timeout',
    kind: 'duration',
    default: '30s',
    usage: 'on SIGTERM/SIGINT, how long to deliver what is buffered before exiting',
  },
  {
    name: 'checkpoint-file',
    kind: 'string',
    usage: 'resume from and save the stream position to this file (nothing lost across restarts)',
  },
];

export const ALL_FLAGS: readonly FlagSpec[] = [
  ...KUBE_EVENTER_FLAGS,
  ...KEVENTER_FLAGS,
  ...KLOG_FLAGS,
];

/** Go's flag.PrintDefaults layout, without the klog flags. */
export function usage(): string {
  const lines = ['Usage of keventer:'];
  for (const spec of [...KUBE_EVENTER_FLAGS, ...KEVENTER_FLAGS]) {
    const type = {
      string: ' string',
      list: ' value',
      duration: ' duration',
      int: ' int',
      uint: ' uint',
      bool: '',
    }[spec.kind];
    lines.push(`  -${spec.name}${type}`);
    const def =
      spec.default !== undefined && spec.default !== 'false' && spec.default !== '0'
        ? ` (default ${spec.kind === 'string' ? JSON.stringify(spec.default) : spec.default})`
        : '';
    lines.push(`    \t${spec.usage}${def}`);
  }
  lines.push("  (klog's flags -v, -logtostderr, -alsologtostderr, ... are accepted and ignored)");
  return `${lines.join('\n')}\n`;
}
