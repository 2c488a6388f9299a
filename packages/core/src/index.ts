/**
 * `@keventer/core`: the application's API. Read events (EventStream and its
 * checkpoints), pick them (filters, dedup), send them (createForwarder with
 * sinks from URIs or objects), watch it run (health, metrics). Building a sink
 * package is `@keventer/core/kit`'s job; what neither exports is internal.
 */

export type { DigestEvent, EventDigest } from './aggregate/digest.js';
export { isDigest } from './aggregate/digest.js';
export type {
  CooldownDedupOptions,
  Dedup,
  DedupMode,
  DedupOptions,
  DedupStats,
  UidDedupOptions,
} from './dedup/index.js';
export { createDedup, DedupOptionsError } from './dedup/index.js';
export type {
  Forwarder,
  ForwarderMetrics,
  ForwarderOptions,
  ForwarderReport,
  ForwarderRoute,
} from './delivery/forwarder.js';
export { createForwarder } from './delivery/forwarder.js';
export type { Health, HealthThresholds } from './delivery/health.js';
export type { HealthServerOptions } from './delivery/health-server.js';
export { serveHealth } from './delivery/health-server.js';
export type { HistogramSnapshot } from './delivery/histogram.js';
export type { RouteOptions, RouteStats } from './delivery/route.js';
export type { CallbackName, FailureReason, RouteMetrics } from './delivery/route-metrics.js';
export type { DeadLetterInfo } from './delivery/sender.js';
export type { DeliverySettingDescription } from './delivery/settings/describe.js';
export { describeDeliverySettings } from './delivery/settings/describe.js';
export type { DeliveryProfileName } from './delivery/settings/profiles.js';
export { deliveryProfiles } from './delivery/settings/profiles.js';
export type { ResolveDeliveryOptions } from './delivery/settings/resolve.js';
export { resolveDeliverySettings } from './delivery/settings/resolve.js';
export type { DeliveryInput, DeliverySettings } from './delivery/settings/table.js';
export type { InvolvedObject, KubeEvent } from './event/model.js';
export { normalizeEvent } from './event/normalize.js';
export { occurrenceId } from './event/occurrence.js';
export type * from './event/wire.js';
export type {
  EventFilter,
  EventType,
  FilterFields,
  FilterSpec,
  IncludeExclude,
  NamespaceSpec,
  Pattern,
} from './filter/index.js';
export {
  allOf,
  anyOf,
  byKind,
  byLevel,
  byMessage,
  byMinCount,
  byNamespace,
  byObjectName,
  byReason,
  byReportingComponent,
  byType,
  createFilter,
  FilterSpecError,
  not,
  passAll,
} from './filter/index.js';
export type { Logger } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';
export { OptionsError } from './options-check.js';
export type { TextStream } from './sink/builtin/console.js';
export { consoleSink } from './sink/builtin/console.js';
export type { BatchLogger } from './sink/builtin/log.js';
export { logSink } from './sink/builtin/log.js';
export type { DeliveryDefaults } from './sink/contract/delivery.js';
export { isSinkError, SinkError } from './sink/contract/errors.js';
export type { Sink, SinkDeliveryHints, SinkWriteContext } from './sink/contract/sink.js';
export type { AnySinkDefinition, SinkDefinition } from './sink/define/define-sink.js';
export type { OptionDescription, SinkDescription } from './sink/define/describe.js';
export type { Env } from './sink/options/env.js';
export type { CreatedSink, CreateSinkFromUriOptions } from './sink/uri/create-from-uri.js';
export { createSinkFromUri } from './sink/uri/create-from-uri.js';
export { KUBE_EVENTER_SINKS } from './sink/uri/load-sink-package.js';
export {
  getSinkDefinition,
  listSinkSchemes,
  registerSink,
  unregisterSink,
} from './sink/uri/registry.js';
export type { ParsedSinkUri } from './sink/uri/uri.js';
export type { Checkpoint, CheckpointStore } from './stream/checkpoint.js';
export { FileCheckpointStore, MemoryCheckpointStore } from './stream/checkpoint.js';
export {
  ListError,
  MalformedLineError,
  StreamConfigError,
  WatchStalledError,
} from './stream/errors.js';
export { EventStream } from './stream/event-stream.js';
export type { InClusterOptions } from './stream/in-cluster.js';
export { inClusterConfig } from './stream/in-cluster.js';
export type { KubeConfigSource } from './stream/kube-client.js';
export { KubeApiError } from './stream/kube-client.js';
export type { KubeConfigLike } from './stream/kube-config-like.js';
export { LineTooLongError } from './stream/line-reader.js';
export type { EventStreamOptions } from './stream/options.js';
export type { Since } from './stream/since.js';
export type { StreamPhase, StreamState, StreamStats } from './stream/state.js';
export type {
  CompileTemplateOptions,
  RenderedText,
  RenderWithinOptions,
  Template,
  TemplateEscape,
} from './template/template.js';
export {
  compileTemplate,
  DEFAULT_TEMPLATE_MAX_LENGTH,
  TemplateError,
} from './template/template.js';
export type { BackoffOptions } from './time/backoff.js';
export { parseDurationMs } from './time/duration.js';
