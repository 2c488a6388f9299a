// Each sink package's README carries its options table, rendered from the
// sink definition's describe() so it cannot drift from the code (npm shows the
// README, not docs/). `npm run readme:tables` rewrites the tables between the
// markers; examples/test/sink-readme-tables.test.ts fails when one is stale.
import { readFileSync, writeFileSync } from 'node:fs';
// From the sources (scripts/ is no workspace package): what the code says now.
import type {
  AnySinkDefinition,
  OptionDescription,
  SinkDescription,
} from '../packages/core/src/index.js';
import dingtalk from '../packages/dingtalk/src/index.js';
import elasticsearch from '../packages/elasticsearch/src/index.js';
import eventbridge from '../packages/eventbridge/src/index.js';
import feishu from '../packages/feishu/src/index.js';
import honeycomb from '../packages/honeycomb/src/index.js';
import influxdb from '../packages/influxdb/src/index.js';
import kafka from '../packages/kafka/src/index.js';
import mongo from '../packages/mongo/src/index.js';
import mysql from '../packages/mysql/src/index.js';
import riemann from '../packages/riemann/src/index.js';
import slack from '../packages/slack/src/index.js';
import sls from '../packages/sls/src/index.js';
import webhook from '../packages/webhook/src/index.js';
import wechat from '../packages/wechat/src/index.js';

export const SINKS: readonly AnySinkDefinition[] = [
  dingtalk,
  wechat,
  webhook,
  feishu,
  slack,
  mysql,
  influxdb,
  elasticsearch,
  mongo,
  kafka,
  sls,
  honeycomb,
  eventbridge,
  riemann,
];

export const START = '<!-- options:start (generated from describe() by npm run readme:tables) -->';
export const END = '<!-- options:end -->';

export function readmePath(scheme: string): string {
  return new URL(`../packages/${scheme}/README.md`, import.meta.url).pathname;
}

/** The Markdown between the markers: the options table and the delivery defaults. */
export function renderOptions(description: SinkDescription): string {
  const rows = description.options.map(
    (o) =>
      `| ${cell(optionName(o))} | ${cell(o.accepts)} | ${cell(defaultOf(o))} | ${cell(notes(o))} |`,
  );
  return [
    '| option | accepts | default | description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Delivery defaults: ${deliveryLine(description.delivery)}.`,
  ].join('\n');
}

/** The README with its table replaced; throws when the markers are missing. */
export function withOptions(readme: string, description: SinkDescription): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) {
    throw new Error(
      `the README of @keventer/${description.scheme} has no options markers: add a line ${START} and a line ${END} where the table goes`,
    );
  }
  return `${readme.slice(0, start + START.length)}\n\n${renderOptions(description)}\n\n${readme.slice(end)}`;
}

function optionName(o: OptionDescription): string {
  const aliases =
    o.aliases.length > 0 ? ` (also ${o.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
  return `\`${o.name}\`${aliases}`;
}

function defaultOf(o: OptionDescription): string {
  if (o.required) return 'required';
  if (o.default === undefined) return '';
  if (typeof o.default === 'string') return o.default === '' ? "`''`" : `\`${o.default}\``;
  return `\`${JSON.stringify(o.default)}\``;
}

function notes(o: OptionDescription): string {
  const extra = [
    o.secret ? 'Secret: masked in errors and logs.' : '',
    o.env === undefined ? '' : `Read from \`$${o.env}\` when not given.`,
    o.inUri ? '' : 'Code only (not in a URI).',
  ].filter((s) => s !== '');
  return [o.description, ...extra].join(' ');
}

function deliveryLine(delivery: SinkDescription['delivery']): string {
  const parts = Object.entries(delivery).flatMap(([block, settings]) =>
    Object.entries((settings ?? {}) as Record<string, unknown>).map(
      ([key, value]) => `\`${block}.${key}=${String(value)}\``,
    ),
  );
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

// `tsx scripts/sink-readme-tables.ts` rewrites the READMEs.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const definition of SINKS) {
    const path = readmePath(definition.scheme);
    const before = readFileSync(path, 'utf8');
    const after = withOptions(before, definition.describe());
    if (after !== before) writeFileSync(path, after);
    console.log(`${after === before ? 'unchanged' : 'updated  '} ${path}`);
  }
}
