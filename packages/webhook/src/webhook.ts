import { consoleLogger, type EventFilter, type ParsedSinkUri } from '@keventer/core';
import {
  defineSink,
  filterFromKubeEventerOptions,
  KubeClient,
  loadKubeConfig,
  type ParsedOptions,
  SinkConfigError,
} from '@keventer/core/kit';
import { type BodyRenderer, compileBodyTemplate, defaultBody } from './body.js';
import { defaultBodyWithin } from './body-limit.js';
import { ConfigMapTemplate } from './configmap-template.js';
import { deliveryFor } from './delivery.js';
import { parseHeaders } from './headers.js';
import { SINK_NAME, webhookOptions } from './options.js';
import { createWebhookSink, type WebhookSink } from './sink.js';
import { webhookUriOptions } from './uri.js';

type Options = ParsedOptions<typeof webhookOptions>;

/**
 * kube-eventer's webhook sink, fixed: POST by default, bodies that are always
 * valid JSON, its options kept out of the target URL, any 2xx a success,
 * optional batch bodies and HMAC signatures.
 *
 * `webhook:https://hooks.example.com/k8s?token=abc&level=Warning&header=Authorization=Bearer%20$T`
 */
export const webhook = defineSink({
  scheme: SINK_NAME,
  description:
    "Sends events to an HTTP endpoint as JSON: kube-eventer's body or a template (also from a ConfigMap), one per request or batched, optionally signed.",
  options: webhookOptions,
  delivery: deliveryFor('event'),
  deliveryFor: (options) => deliveryFor(options.body_format),
  fromUri: (uri) => webhookUriOptions(uri, optionKeys(uri)),
  async create(options): Promise<WebhookSink> {
    const problems = checkCombinations(options);
    const headers = parseHeaders(options.header ?? [], options.signing_secret !== undefined);
    problems.push(...headers.problems);
    const filter = attempt(problems, () => webhookFilter(options));
    const inline = attempt(problems, () =>
      options.template === undefined
        ? undefined
        : compileBodyTemplate(options.template, 'given in the option', options.max_body_bytes),
    );
    if (problems.length > 0) throw new SinkConfigError(SINK_NAME, problems);

    const template =
      options.custom_body_configmap === undefined
        ? undefined
        : await loadConfigMapTemplate(options, options.custom_body_configmap);
    const render: BodyRenderer =
      template?.render ?? inline ?? defaultBodyWithin(defaultBody, options.max_body_bytes);
    return createWebhookSink({
      url: new URL(options.endpoint),
      method: options.method,
      headers: headers.headers,
      format: options.body_format,
      render,
      ...(options.signing_secret === undefined ? {} : { signingSecret: options.signing_secret }),
      filter: filter ?? (() => true),
      ...(template ? { template } : {}),
    });
  },
});

/** Option names a URI may use; with a target, `endpoint` in the query belongs to the target. */
function optionKeys(uri: ParsedSinkUri): Set<string> {
  const keys = Object.entries(webhookOptions).flatMap(([name, o]) => [name, ...o.aliases]);
  return new Set(uri.target === '' ? keys : keys.filter((key) => key !== 'endpoint'));
}

function checkCombinations(options: Options): string[] {
  const problems: string[] = [];
  const configMap = options.custom_body_configmap !== undefined;
  if (configMap && options.template !== undefined) {
    problems.push('give either template or custom_body_configmap, not both');
  }
  const onlyWithConfigMap = [
    'custom_body_configmap_namespace',
    'kubeconfig',
    'kube_client',
  ] as const;
  for (const name of onlyWithConfigMap) {
    if (!configMap && options[name] !== undefined) {
      problems.push(`option '${name}' is only used with custom_body_configmap`);
    }
  }
  if (options.kubeconfig !== undefined && options.kube_client !== undefined) {
    problems.push('give either kubeconfig or kube_client, not both');
  }
  return problems;
}

/**
 * kube-eventer's webhook filters (its `getLevels`): `level=Warning` passes
 * Warning, `level=Normal` passes Normal and Warning, no level passes every
 * type; with `namespaces` cluster-scoped objects are dropped.
 */
function webhookFilter(options: Options): EventFilter {
  return filterFromKubeEventerOptions(
    {
      ...(options.level ? { level: options.level } : {}),
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      ...(options.kinds ? { kinds: options.kinds } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    },
    { defaultLevel: null, clusterScoped: false },
  );
}

async function loadConfigMapTemplate(options: Options, name: string): Promise<ConfigMapTemplate> {
  const namespace = options.custom_body_configmap_namespace ?? 'default';
  try {
    const client = options.kube_client ?? new KubeClient(loadKubeConfig(options.kubeconfig));
    return await ConfigMapTemplate.load(
      client,
      { namespace, name },
      {
        logger: options.logger ?? consoleLogger('info'),
        refreshMs: options.custom_body_refresh,
        maxBodyBytes: options.max_body_bytes,
      },
    );
  } catch (error) {
    throw new SinkConfigError(SINK_NAME, [(error as Error).message], { cause: error });
  }
}

/** Runs `build`, collecting its error as a problem (so every problem is reported at once). */
function attempt<T>(problems: string[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    problems.push((error as Error).message.replace(/^\[keventer\] \[filter\] /, ''));
    return undefined;
  }
}
