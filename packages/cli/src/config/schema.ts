import { describeDeliverySettings } from '@keventer/core';
import {
  type FieldKind,
  IN_CLUSTER_CHECKPOINT_FIELDS,
  LEADER_ELECTION_FIELDS,
  OBJECT_NAME,
  OBJECT_NAME_MAX,
  type SectionField,
} from '../ha/config.js';

/**
 * The config file's JSON Schema, for editors (`# yaml-language-server:
 * $schema=...`). The delivery settings come from core's table, so they cannot
 * drift; the rest mirrors check-config.ts, and a test runs both over the same
 * examples. `npm run schema -w @keventer/cli` writes keventer.schema.json.
 */
export function configSchema(): Record<string, unknown> {
  const duration = {
    description: 'milliseconds, or a duration such as 500ms, 30s, 5m, 1h30m',
    anyOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: '^(\\d+|(\\d+(\\.\\d+)?(ms|s|m|h|d))+)$' },
    ],
  };
  const patterns = {
    description: 'exact, glob (prod-*) or /regex/; a list matches any',
    anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  };
  const filterFields = {
    type: {
      anyOf: [{ enum: ['Normal', 'Warning'] }, { type: 'array', items: { type: 'string' } }],
    },
    namespaces: patterns,
    kinds: patterns,
    reasons: patterns,
    objectNames: patterns,
    messages: patterns,
    components: patterns,
    minCount: { type: 'integer', minimum: 1 },
  };
  const groups: Record<string, Record<string, unknown>> = {};
  for (const setting of describeDeliverySettings()) {
    const [group = '', field = ''] = setting.name.split('.');
    groups[group] ??= {};
    groups[group][field] = settingSchema(setting.type, setting.accepts, field, duration);
    (groups[group][field] as Record<string, unknown>).description = setting.description;
  }
  const delivery = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(groups).map(([group, fields]) => [
        group,
        { type: 'object', additionalProperties: false, properties: fields },
      ]),
    ),
  };
  const nonEmpty = { type: 'string', minLength: 1 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/keventer/keventer/blob/main/packages/cli/keventer.schema.json',
    title: 'keventer configuration (keventer --config keventer.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      source: {
        description:
          "Where events come from. Without it: kube-eventer's --source, else KUBECONFIG, ~/.kube/config or the in-cluster service account.",
        type: 'object',
        additionalProperties: false,
        not: { required: ['uri', 'kubeconfig'] },
        properties: {
          uri: {
            ...nonEmpty,
            description:
              "kube-eventer's --source: kubernetes:<master>?inClusterConfig=&insecure=&auth=&localKubeConfig=&useServiceAccount=",
          },
          kubeconfig: { ...nonEmpty, description: 'a kubeconfig file (its current context)' },
          apiGroup: { enum: ['core/v1', 'events.k8s.io/v1'] },
          namespace: nonEmpty,
          fieldSelector: nonEmpty,
          labelSelector: nonEmpty,
          since: {
            description: "where to start without a checkpoint: 'now', 'all' or a duration back",
            anyOf: [{ enum: ['now', 'all'] }, duration],
          },
        },
      },
      routes: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sink'],
          properties: {
            name: nonEmpty,
            sink: {
              description: 'a kube-eventer sink URI (dingtalk:https://...), or { type, options }',
              anyOf: [
                nonEmpty,
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['type'],
                  properties: { type: nonEmpty, options: { type: 'object' } },
                },
              ],
            },
            filter: {
              type: 'object',
              additionalProperties: false,
              properties: {
                level: { enum: ['Normal', 'Warning'] },
                clusterScoped: { type: 'boolean' },
                ...filterFields,
                exclude: { type: 'object', additionalProperties: false, properties: filterFields },
              },
            },
            dedup: {
              type: 'object',
              additionalProperties: false,
              properties: {
                mode: { enum: ['occurrence', 'firstOnly', 'cooldown'] },
                ttlMs: duration,
                windowMs: duration,
                maxEntries: { type: 'integer', minimum: 1 },
              },
            },
            delivery,
          },
        },
      },
      checkpoint: {
        description:
          'where the stream position is saved: a file, or in the cluster (with leader election)',
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'path'],
            properties: { type: { const: 'file' }, path: nonEmpty },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: { const: 'in-cluster', description: 'a ConfigMap beside the Lease' },
              ...fieldsSchema(IN_CLUSTER_CHECKPOINT_FIELDS),
            },
          },
        ],
      },
      leaderElection: {
        type: 'object',
        description:
          'Lease-based leader election (coordination.k8s.io/v1), in seconds like client-go: one replica forwards, the others wait',
        additionalProperties: false,
        properties: fieldsSchema(LEADER_ELECTION_FIELDS),
      },
      log: {
        type: 'object',
        additionalProperties: false,
        properties: {
          format: { enum: ['json', 'text'] },
          level: { enum: ['debug', 'info', 'warn', 'error'] },
        },
      },
      healthz: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ip: nonEmpty,
          port: { type: 'integer', minimum: 0, maximum: 65534 },
        },
      },
      eventMetrics: { type: 'boolean' },
      drainTimeout: duration,
      health: {
        type: 'object',
        additionalProperties: false,
        properties: { streamDownMs: duration, sinkFailingMs: duration },
      },
    },
  };
}

function settingSchema(
  type: string,
  accepts: string,
  field: string,
  duration: object,
): Record<string, unknown> {
  if (type === 'milliseconds') return { ...duration };
  if (type === 'enum') return { enum: accepts.replace(/^one of /, '').split(', ') };
  const min = accepts.includes('at least 0') ? 0 : 1;
  const integer = { type: 'integer', minimum: min };
  return field === 'rateLimitNum' || field === 'retryAttempts'
    ? { anyOf: [integer, { const: 'unlimited' }] }
    : integer;
}

/** The schema of a section's fields, from the table its checker reads (src/ha/config.ts). */
function fieldsSchema(fields: Record<string, SectionField>): Record<string, unknown> {
  const byKind: Record<FieldKind, Record<string, unknown>> = {
    name: { type: 'string', pattern: OBJECT_NAME.source, maxLength: OBJECT_NAME_MAX },
    text: { type: 'string', minLength: 1 },
    seconds: { type: 'number', exclusiveMinimum: 0 },
    wholeSeconds: { type: 'integer', exclusiveMinimum: 0 },
  };
  return Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [
      key,
      { ...byKind[field.kind], description: field.description },
    ]),
  );
}
