export type { BuildOptions } from './builders.js';
export { buildEvent, buildEventsV1 } from './builders.js';
export type {
  ConformanceCheck,
  ConformanceContext,
  SinkConformanceCase,
} from './conformance/checks.js';
export {
  conformanceChecks,
  failingWrite,
  runSinkConformance,
  sampleEvents,
} from './conformance/checks.js';
export type { ReceivedRequest, ReceiverAnswer } from './conformance/receiver.js';
export { FakeHttpReceiver } from './conformance/receiver.js';
export { digestOf } from './digest.js';
export type { FailedSchedulingOptions, ScaledOptions } from './events.js';
export { events } from './events.js';
export type { ConfigMapObject } from './fake-api-server/configmaps.js';
export { toCoreV1, toEventsV1 } from './fake-api-server/convert.js';
export type {
  FailRequestsOptions,
  FaultControls,
  Force410Options,
  RequestKind,
} from './fake-api-server/faults.js';
export type { RequestRecord } from './fake-api-server/handler.js';
export type { LeaseObject } from './fake-api-server/leases.js';
export type { FakeKubeApiServerOptions, RecurOptions } from './fake-api-server/server.js';
export { FakeKubeApiServer } from './fake-api-server/server.js';
export type { KubeStatus } from './fake-api-server/status.js';
export type { TlsIdentity } from './fake-api-server/tls.js';
export { selfSignedCertificate } from './fake-api-server/tls.js';
export type { WatchInfo } from './fake-api-server/watch.js';
export * from './fakes/dingtalk.js';
export * from './fakes/feishu.js';
export * from './fakes/slack.js';
export * from './fakes/webhook.js';
export * from './fakes/wechat.js';
export type {
  Forwarding,
  ForwardingCluster,
  ForwardingRoutes,
  StartForwardingOptions,
  WaitForOptions,
} from './forwarding.js';
export { startForwarding, waitFor } from './forwarding.js';
export type { PlayOptions, ScenarioSummary, ScenarioTarget } from './play.js';
export { playScenario, summarizeScenario } from './play.js';
export type { PodEventOptions } from './pod-event.js';
export { kubeEventerLines, podEvent } from './pod-event.js';
export { createPrng, type Prng } from './prng.js';
export type { NodeInput, PodInput, PodSpecInput, WorkloadInput } from './refs.js';
export type {
  ClusterScenarioOptions,
  CreateStep,
  DeleteStep,
  EventRef,
  RecurStep,
  ScenarioStep,
} from './scenario.js';
export { clusterScenario } from './scenario.js';
export { kubeMicroTime, kubeTime } from './time.js';
