import { normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { format } from 'mysql2';
import { describe, expect, it } from 'vitest';
import { buildInsert, fit } from '../src/insert.js';
import { createTableSql, LAYOUT } from '../src/layout.js';
import type { ColumnInfo, TableInfo } from '../src/table.js';
import { GO_ZERO_TIME, goTimeString, sqlDateTime } from '../src/time.js';

const varchar = (name: string, maxChars = 255, bmpOnly = false): ColumnInfo => ({
  name,
  maxChars,
  maxBytes: maxChars * (bmpOnly ? 3 : 4),
  bmpOnly,
});
const KUBE_EVENTER_COLUMNS = [
  'namespace',
  'kind',
  'name',
  'type',
  'reason',
  'message',
  'event_id',
  'first_occurrence_time',
  'last_occurrence_time',
];
/** kube-eventer's own table (no occurrence_id) or the one the sink creates. */
const table = (withOccurrence: boolean): TableInfo =>
  new Map(
    [...KUBE_EVENTER_COLUMNS, ...(withOccurrence ? ['occurrence_id'] : [])].map((name) => [
      name,
      varchar(name, name === 'occurrence_id' ? 191 : 255),
    ]),
  );

const event = (uid: string, message: string, count = 1) =>
  normalizeEvent(
    buildEvent({
      metadata: { uid },
      type: 'Warning',
      reason: 'BackOff',
      message,
      count,
      firstTimestamp: '2024-05-01T10:00:00Z',
      lastTimestamp: '2024-05-01T10:05:00Z',
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
    }),
  );

describe('the INSERT of a batch', () => {
  it("is one multi-row statement in kube-eventer's columns, upserting by occurrence", () => {
    const batch = [event('u1', 'a'), event('u2', 'b', 3)];
    const { sql, values } = buildInsert('kube_event', LAYOUT['kube-eventer'], table(true), batch);
    expect(sql).toBe(
      'INSERT INTO `kube_event` (`namespace`, `kind`, `name`, `type`, `reason`, `message`, `event_id`, `first_occurrence_time`, `last_occurrence_time`, `occurrence_id`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `occurrence_id` = `occurrence_id`',
    );
    expect(values.slice(0, 10)).toEqual([
      'shop',
      'Pod',
      'web-1',
      'Warning',
      'BackOff',
      'a',
      'u1',
      '2024-05-01 10:00:00 +0000 UTC',
      '2024-05-01 10:05:00 +0000 UTC',
      `u1/1/${Date.parse('2024-05-01T10:05:00Z')}`,
    ]);
    expect(values[19]).toBe(`u2/3/${Date.parse('2024-05-01T10:05:00Z')}`);
  });

  it("is a plain INSERT into kube-eventer's own table, which has no occurrence_id", () => {
    const { sql, values } = buildInsert('t', LAYOUT['kube-eventer'], table(false), [
      event('u', 'm'),
    ]);
    expect(sql).not.toMatch(/occurrence_id|DUPLICATE/);
    expect(values).toHaveLength(9);
  });

  it('carries hostile text as parameters: quotes, backslashes, NUL and comments stay data', () => {
    const hostile = "x'); DROP TABLE kube_event; -- \\' \0 \u2028 /* */ 中文 😀";
    const { sql, values } = buildInsert('kube_event', LAYOUT['kube-eventer'], table(true), [
      event('u1', hostile),
    ]);
    expect(sql).not.toContain('DROP');
    const text = format(sql, values);
    expect(text).toContain("'x\\'); DROP TABLE kube_event; -- \\\\\\' \\0");
    expect(text.match(/\), \(|VALUES \(/g)).toHaveLength(1);
  });
});

describe('values fitted to their columns', () => {
  it("cuts a message over varchar(255) on a character boundary, marked '…'", () => {
    const emoji = '😀'.repeat(300);
    const cut = fit(emoji, varchar('message')) as string;
    expect([...cut]).toHaveLength(255);
    expect(cut.endsWith('😀…')).toBe(true);
    expect(fit('中'.repeat(255), varchar('message'))).toBe('中'.repeat(255));
  });

  it('replaces 4-byte characters in a utf8mb3 column instead of failing the batch', () => {
    expect(fit('ok 😀 中文', varchar('message', 255, true))).toBe('ok \uFFFD 中文');
  });

  it('cuts text by bytes (a text column holds 65535)', () => {
    const cut = fit('é'.repeat(40_000), {
      name: 'message',
      maxChars: 65535,
      maxBytes: 65535,
      bmpOnly: false,
    });
    expect(Buffer.byteLength(cut as string)).toBeLessThanOrEqual(65535);
  });

  it("writes times as kube-eventer's Go time.String() does, and DATETIME(3) for the keventer layout", () => {
    expect(goTimeString('2024-05-01T10:00:00Z')).toBe('2024-05-01 10:00:00 +0000 UTC');
    expect(goTimeString('2024-05-01T10:00:00.123450Z')).toBe('2024-05-01 10:00:00.12345 +0000 UTC');
    expect(goTimeString('')).toBe(GO_ZERO_TIME);
    expect(sqlDateTime('2024-05-01T10:00:00.5Z')).toBe('2024-05-01 10:00:00.500');
    expect(sqlDateTime('')).toBeNull();
  });

  it('leaves occurrence_id NULL for an event without a uid (nothing to be idempotent by)', () => {
    const { values } = buildInsert('t', LAYOUT['kube-eventer'], table(true), [event('', 'm')]);
    expect(values[9]).toBeNull();
  });
});

describe('CREATE TABLE', () => {
  it("is kube-eventer's shema.sql plus the occurrence key, utf8mb4", () => {
    const sql = createTableSql('kube_event', LAYOUT['kube-eventer']);
    expect(sql).toMatch(
      /^CREATE TABLE IF NOT EXISTS `kube_event` \(\n {2}`id` bigint NOT NULL AUTO_INCREMENT,/,
    );
    expect(sql).toContain("`message` varchar(255) DEFAULT ''");
    expect(sql).toContain('UNIQUE KEY `occurrence` (`occurrence_id`)');
    expect(sql).toMatch(/CHARSET=utf8mb4$/);
  });

  it('makes message text and times DATETIME(3) in the keventer layout', () => {
    const sql = createTableSql('events', LAYOUT.keventer);
    expect(sql).toContain('`message` text NOT NULL');
    expect(sql).toContain('`last_occurrence_time` datetime(3) NULL');
  });
});
