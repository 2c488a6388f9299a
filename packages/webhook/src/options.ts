import type { Logger } from '@keventer/core';
import { type KubeClient, option } from '@keventer/core/kit';

export const SINK_NAME = 'webhook';

const isKubeClient = (value: unknown): value is Pick<KubeClient, 'getJson'> =>
  typeof (value as { getJson?: unknown } | null)?.getJson === 'function';

const isLogger = (value: unknown): value is Logger =>
  typeof value === 'object' &&
  value !== null &&
  ['debug', 'info', 'warn', 'error'].every(
    (level) => typeof (value as Record<string, unknown>)[level] === 'function',
  );

/** The webhook sink's options: kube-eventer's names, then keventer's own. */
export const webhookOptions = {
  endpoint: option.url({
    description:
      'The URL events are sent to. In a URI it is the target; query keys that are not options of this sink stay on it.',
    required: true,
    protocols: ['http', 'https'],
  }),
  method: option.enum(['POST', 'PUT', 'PATCH', 'GET'], {
    description:
      "HTTP method. kube-eventer's default is GET (with the body); give method=GET for a receiver that only takes that.",
    default: 'POST',
  }),
  header: option.list({
    description:
      'A request header as Name=Value; repeat the key for more. Values are treated as secrets.',
    split: false,
    secret: true,
  }),
  level: option.enum(['Warning', 'Normal'], {
    description:
      "Warning sends Warning events only; Normal sends Normal and Warning events (kube-eventer's getLevels). Default: every type.",
  }),
  namespaces: option.list({
    description:
      "Only events about objects in these namespaces (exact names); cluster-scoped objects (Nodes) are then dropped, as in kube-eventer's webhook.",
  }),
  kinds: option.list({
    description: 'Only events about these kinds of objects (exact: Pod, Node).',
  }),
  reason: option.list({ description: 'Only events whose reason matches one of these regexes.' }),
  template: option.string({
    description:
      "The body of one event as a logic-less template producing JSON: {{ .InvolvedObject.Kind }}, {{ .Message }}; values are JSON-escaped. Default: kube-eventer's body.",
  }),
  custom_body_configmap: option.string({
    description:
      'A ConfigMap whose data.content is the body template, read through the Kubernetes API and re-read every custom_body_refresh.',
  }),
  custom_body_configmap_namespace: option.string({
    description: "The namespace of custom_body_configmap (default: 'default', as in kube-eventer).",
  }),
  custom_body_refresh: option.duration({
    description: 'How often custom_body_configmap is re-read for changes.',
    default: 10_000,
    min: 100,
  }),
  kubeconfig: option.string({
    description:
      'A kubeconfig file for reading custom_body_configmap (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account).',
  }),
  kube_client: option.custom(isKubeClient, {
    description:
      'The Kubernetes client for custom_body_configmap (code only; a KubeClient from @keventer/core/kit).',
    accepts: 'a KubeClient',
  }),
  max_body_bytes: option.number({
    description:
      "The most bytes of one event's body; a longer one has its values (the message) cut alike to fit, marked '…(truncated)'. Default 1 MiB, nginx's default client_max_body_size.",
    integer: true,
    min: 1024,
    default: 1_048_576,
  }),
  body_format: option.enum(['event', 'json_array', 'ndjson'], {
    description:
      "event: one event per request (kube-eventer's way); json_array or ndjson: each batch in one request.",
    default: 'event',
  }),
  signing_secret: option.string({
    description:
      'Signs each request: X-Keventer-Signature: sha256=HMAC-SHA256(secret, "<X-Keventer-Timestamp>.<body>").',
    secret: true,
  }),
  logger: option.custom(isLogger, {
    description:
      'Receives ConfigMap template reloads and problems (code only; default: warnings to stderr).',
    accepts: 'a logger with debug, info, warn and error (pino, core Logger)',
  }),
};
