export type { DigestEvent, EventDigest } from './aggregate/digest.js';
export { isDigest, MAX_DIGEST_OBJECTS } from './aggregate/digest.js';
export type { AggregateBy } from './aggregate/keys.js';
export { aggregateKey, ownerName } from './aggregate/keys.js';
export * from './dedup/index.js';
export type {
  Forwarder,
  ForwarderMetrics,
  ForwarderOptions,
  ForwarderReport,
} from './delivery/forwarder.js';
export { createForwarder } from './delivery/forwarder.js';
export type { Health, HealthThresholds } from './delivery/health.js';
export type { HealthServerOptions } from './delivery/health-server.js';
export { serveHealth } from './delivery/health-server.js';
export type { HistogramSnapshot } from './delivery/histogram.js';
export { DURATION_BUCKETS_MS } from './delivery/histogram.js';
export type { RouteOptions, RouteStats } from './delivery/route.js';
export type { CallbackName, FailureReason, RouteMetrics } from './delivery/route-metrics.js';
export type { DeadLetterInfo } from './delivery/sender.js';
export type { ResolveDeliveryOptions } from './delivery/settings.js';
export { resolveDeliverySettings } from './delivery/settings.js';
export type { DeliverySettingDescription } from './delivery/settings-describe.js';
export { describeDeliverySettings } from './delivery/settings-describe.js';
export type { DeliveryProfileName } from './delivery/settings-profiles.js';
export { deliveryProfiles } from './delivery/settings-profiles.js';
export type { DeliveryInput, DeliverySettings } from './delivery/settings-table.js';
export type { InvolvedObject, KubeEvent } from './event/model.js';
export { detectApiGroup, normalizeEvent } from './event/normalize.js';
export type { OccurrenceMark } from './event/occurrence.js';
export { isLaterOccurrence, occurrenceId, occurrenceMark } from './event/occurrence.js';
export type * from './event/wire.js';
export * from './filter/index.js';
export type { Logger } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';
export type { HttpAnswer, SendJsonOptions } from './kit/http.js';
export { parseJsonAnswer, sendJson } from './kit/http.js';
export type { Field } from './kit/event-fields.js';
export { eventFields, renderText, renderTitle } from './kit/event-fields.js';
export { TRUNCATED_MARKER, truncateUtf8, utf8Length } from './kit/truncate.js';
export { OptionsError } from './options-check.js';
export type { CreatedSink, CreateSinkFromUriOptions } from './sink/create-from-uri.js';
export { createSinkFromUri } from './sink/create-from-uri.js';
export type {
  AnySinkDefinition,
  SinkContext,
  SinkDefinition,
  SinkSpec,
} from './sink/define-sink.js';
export { defineSink, isSink, uriToRawOptions } from './sink/define-sink.js';
export type { DeliveryDefaults } from './sink/delivery.js';
export type { OptionDescription, SinkDescription } from './sink/describe.js';
export type { Env } from './sink/env.js';
export type { SinkErrorOptions } from './sink/errors.js';
export {
  isSinkError,
  permanentError,
  retryableError,
  SinkConfigError,
  SinkError,
  sinkMessage,
} from './sink/errors.js';
export type { HeadersLike } from './sink/http-status.js';
export { classifyHttpResponse, isRetryableStatus, parseRetryAfter } from './sink/http-status.js';
export { kubeEventerFilterOptions } from './sink/kube-eventer-options.js';
export { isSinkDefinition, KUBE_EVENTER_SINKS } from './sink/load-sink-package.js';
export type {
  Option,
  OptionConfig,
  OptionKind,
  OptionSchema,
  OptionsInput,
  ParsedOptions,
} from './sink/options.js';
export { option } from './sink/options.js';
export { parseOptions } from './sink/parse-options.js';
export { isSecretHeader, isSecretKey, redactText, redactUri } from './sink/redact.js';
export {
  getSinkDefinition,
  listSinkSchemes,
  registerSink,
  unregisterSink,
} from './sink/registry.js';
export type { Sink, SinkDeliveryHints, SinkWriteContext } from './sink/sink.js';
export { toSinkError } from './sink/to-sink-error.js';
export type { ParsedSinkUri } from './sink/uri.js';
export { parseSinkUri, SINK_SCHEME } from './sink/uri.js';
export type { TextStream } from './sinks/console.js';
export { consoleSink, formatConsoleLine } from './sinks/console.js';
export type { BatchLogger } from './sinks/log.js';
export { formatLogBatch, logSink } from './sinks/log.js';
export type { BackoffOptions } from './stream/backoff.js';
export type { Checkpoint, CheckpointStore } from './stream/checkpoint.js';
export { FileCheckpointStore, MemoryCheckpointStore } from './stream/checkpoint.js';
export {
  ListError,
  MalformedLineError,
  StreamConfigError,
  WatchStalledError,
} from './stream/errors.js';
export { EventStream } from './stream/event-stream.js';
export type { KubeConfigSource } from './stream/kube-client.js';
export { KubeApiError, KubeClient, loadKubeConfig } from './stream/kube-client.js';
export type { KubeConfigLike } from './stream/kube-config-like.js';
export { LineTooLongError } from './stream/line-reader.js';
export type { EventStreamOptions } from './stream/options.js';
export type { Since } from './stream/since.js';
export { parseDurationMs } from './stream/since.js';
export type { StreamPhase, StreamState, StreamStats } from './stream/state.js';
export { muteChatMarkdown, muteChatTags } from './template/chat-markup.js';
export { eventTemplateRoots } from './template/event-view.js';
export { compileTemplateOption } from './template/option.js';
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
