/**
 * `@keventer/core/kit`: what a sink package is built from. A sink turns a
 * batch into a request (render), sends it (`sendChecked`) and says what the
 * answer means (a code table); defineSink, the delivery engine and the
 * secret masking do the rest. See docs/development.md, "Adding a sink".
 */

export type { DigestEvent, EventDigest } from '../aggregate/digest.js';
export { isDigest } from '../aggregate/digest.js';
// The key a digest carries (`digest.key`), for building digests as the engine does.
export type { AggregateBy } from '../aggregate/keys.js';
export { aggregateKey } from '../aggregate/keys.js';
export type { DeliveryProfileName } from '../delivery/settings/profiles.js';
export { deliveryProfiles } from '../delivery/settings/profiles.js';
export type { KubeEvent } from '../event/model.js';
// kube-eventer's level/namespaces/kinds filter, for a sink that maps more options (webhook: reason).
export type {
  EventFilter,
  KubeEventerFilterOptions,
  KubeEventerMappingOptions,
} from '../filter/index.js';
export { filterFromKubeEventerOptions } from '../filter/index.js';
export { snippet } from '../sink/contract/clean-text.js';
export type { DeliveryDefaults } from '../sink/contract/delivery.js';
export type { SinkErrorOptions } from '../sink/contract/errors.js';
export {
  isSinkError,
  permanentError,
  retryableError,
  SinkConfigError,
  SinkError,
} from '../sink/contract/errors.js';
export type { HeadersLike } from '../sink/contract/http-status.js';
export {
  classifyHttpResponse,
  isRetryableStatus,
  parseRetryAfter,
} from '../sink/contract/http-status.js';
// A bulk API's per-item answer: which events of a batch failed (partialFailure builds it).
export type { EventFailure } from '../sink/contract/partial.js';
export {
  eventFailureProblems,
  isPartialWriteError,
  PartialWriteError,
} from '../sink/contract/partial.js';
export type { Sink, SinkWriteContext } from '../sink/contract/sink.js';
export { toSinkError } from '../sink/contract/to-sink-error.js';
export type { SinkContext, SinkDefinition, SinkSpec } from '../sink/define/define-sink.js';
export { defineSink } from '../sink/define/define-sink.js';
export { kubeEventerFilterOptions } from '../sink/options/kube-eventer-options.js';
export type { Option, OptionSchema, OptionsInput, ParsedOptions } from '../sink/options/options.js';
export { option } from '../sink/options/options.js';
export type { ParsedSinkUri } from '../sink/uri/uri.js';
// The cluster's API, for a sink that reads from it (the webhook's ConfigMap body template).
export type { KubeConfigSource } from '../stream/kube-client.js';
export { KubeApiError, KubeClient, loadKubeConfig } from '../stream/kube-client.js';
export { muteChatMarkdown, muteChatTags } from '../template/chat-markup.js';
export { eventTemplateRoots } from '../template/event-view.js';
export { compileTemplateOption } from '../template/option.js';
export type { CompileTemplateOptions, Template } from '../template/template.js';
export type { IssuedToken } from './access-token.js';
export { AccessTokenCache } from './access-token.js';
export type { CodeAnswer, CodeAnswerRules, CodeMeaning, CodeTable } from './answer-code.js';
export { codeError, judgeCodeAnswer, readCodeAnswer } from './answer-code.js';
export { chatRobotDelivery } from './chat-delivery.js';
export type { ChatLayout, ChatLayoutOptions, TemplateRoots } from './chat-layout.js';
export { chatLayout, chatText, eventTexts } from './chat-layout.js';
export { chatOptions } from './chat-options.js';
export { escapeEntities } from './escape.js';
export type { Field } from './event-fields.js';
export { eventFields, renderText, renderTitle } from './event-fields.js';
export { fitJsonBody } from './fit.js';
export type { HttpAnswer, SendJsonOptions } from './http.js';
export { MAX_ANSWER_BYTES, parseJsonAnswer, sendJson } from './http.js';
export type { SendCheckedOptions } from './message-sink.js';
export { messageSink, sendChecked } from './message-sink.js';
export { partialFailure } from './partial-failure.js';
export { batchTitle } from './title.js';
export { TRUNCATED_MARKER, truncateChars, truncateUtf8, utf8Length } from './truncate.js';
export { untilAborted } from './until-aborted.js';
