import { TRUNCATED_MARKER, utf8Length } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { dingtalk, MAX_BODY_BYTES } from '../src/index.js';
import { digest, fakeDingTalk, warning, write } from './helpers.js';

const TOKEN = 'render-token-91ab';

async function setup(options: Record<string, unknown> = {}) {
  const ding = await fakeDingTalk({ token: TOKEN });
  const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN, ...options });
  return { ding, sink };
}

const FIELDS = [
  'Level: Warning',
  'Kind: Pod',
  'Namespace: shop',
  'Name: web-1',
  'Reason: BackOff',
  'Timestamp: 2026-03-01T08:30:00.000Z',
];

describe('dingtalk messages', () => {
  it("text: kube-eventer's layout, labels first (commas kept), as one JSON body", async () => {
    const { ding, sink } = await setup({ label: ['cluster1', 'team a, team b'] });
    await write(sink, [warning()]);
    expect(ding.requests[0]?.body).toBe(
      JSON.stringify({
        msgtype: 'text',
        text: {
          content: [
            'cluster1',
            'team a, team b',
            ...FIELDS,
            'Message: Back-off restarting failed container app in pod web-1',
          ].join('\n'),
        },
      }),
    );
    expect(ding.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('JSON-hostile text (quotes, backslashes, newlines, CJK, emoji, controls) arrives exactly', async () => {
    const hostile =
      'He said "stop" \\ C:\\path\\n\n\tline 2\r\n镜像拉取失败 🚀👩‍💻 </script> \u2028 \u0000 {"json":true}';
    const { ding, sink } = await setup({ label: ['标签 "q"'] });
    await write(sink, [warning({ message: hostile, reason: 'Failed"Pull' })]);
    expect(ding.messages[0]?.content).toBe(
      [
        '标签 "q"',
        ...FIELDS.slice(0, 4),
        'Reason: Failed"Pull',
        FIELDS[5],
        `Message: ${hostile}`,
      ].join('\n'),
    );
  });

  it('a message over the limit is cut on a UTF-8 boundary with the marker, within 20000 bytes', async () => {
    const { ding, sink } = await setup({ label: ['cluster1'] });
    // 4-byte emoji, 3-byte CJK and newlines (2 bytes once escaped) around every possible cut.
    const huge = '日志🚀\n"'.repeat(3000);
    await write(sink, [warning({ message: huge })]);
    const [request] = ding.requests;
    const [message] = ding.messages;
    expect(utf8Length(request?.body ?? '')).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(utf8Length(request?.body ?? '')).toBeGreaterThan(MAX_BODY_BYTES - 8);
    const content = message?.content ?? '';
    expect(content.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(content).not.toContain('\uFFFD');
    const kept = content.slice(0, -TRUNCATED_MARKER.length);
    expect(`${['cluster1', ...FIELDS, `Message: ${huge}`].join('\n')}`.startsWith(kept)).toBe(true);
    expect(utf8Length(kept)).toBeGreaterThan(15_000);
  });

  it('a message at the limit is sent whole', async () => {
    const { ding, sink } = await setup();
    const envelope = utf8Length(
      JSON.stringify({ msgtype: 'text', text: { content: [...FIELDS, 'Message: '].join('\n') } }),
    );
    const message = 'x'.repeat(MAX_BODY_BYTES - envelope);
    await write(sink, [warning({ message })]);
    expect(utf8Length(ding.requests[0]?.body ?? '')).toBe(MAX_BODY_BYTES);
    expect(ding.messages[0]?.content.endsWith(`Message: ${message}`)).toBe(true);
  });

  it('markdown: a title, labels, cluster and region, then bold field names', async () => {
    const { ding, sink } = await setup({
      msg_type: 'markdown',
      label: ['cluster1'],
      cluster_id: 'c8a1f',
      region: 'cn-hangzhou',
    });
    await write(sink, [warning()]);
    expect(ding.messages[0]).toMatchObject({
      msgtype: 'markdown',
      title: 'Warning BackOff Pod shop/web-1',
      content: [
        'cluster1',
        '**Cluster:** c8a1f',
        '**Region:** cn-hangzhou',
        '### Warning BackOff Pod shop/web-1',
        '**Level:** Warning',
        '**Kind:** Pod',
        '**Namespace:** shop',
        '**Name:** web-1',
        '**Reason:** BackOff',
        '**Timestamp:** 2026-03-01T08:30:00.000Z',
        '**Message:** Back-off restarting failed container app in pod web-1',
      ].join('\n\n'),
    });
  });

  it('mentions: `at` in the body and the @ line in the text, which the group sees', async () => {
    const { ding, sink } = await setup({
      label: ['cluster1'],
      at_mobiles: '13800000000,13900000000',
      at_user_ids: ['manager4711'],
      at_all: 'true',
    });
    await write(sink, [warning()]);
    const [message] = ding.messages;
    expect(message?.at).toEqual({
      atMobiles: ['13800000000', '13900000000'],
      atUserIds: ['manager4711'],
      isAtAll: true,
    });
    expect(message?.content.endsWith('\n\n@13800000000 @13900000000 @manager4711')).toBe(true);
    expect(ding.renderChat().split('\n').slice(-2)).toEqual([
      '@13800000000 @13900000000 @manager4711',
      '@all',
    ]);
  });

  it('without mentions the body has no `at`', async () => {
    const { ding, sink } = await setup();
    await write(sink, [warning()]);
    expect(Object.keys(ding.messages[0]?.body ?? {})).toEqual(['msgtype', 'text']);
  });

  it('a digest is one message with the count, span and objects', async () => {
    const { ding, sink } = await setup({ label: ['cluster1'] });
    await write(sink, [digest(12)]);
    expect(ding.messages).toHaveLength(1);
    expect(ding.messages[0]?.content.split('\n').slice(-3)).toEqual([
      'Repeated: 12 more times from 2026-03-01T08:30:00.000Z to 2026-03-01T08:34:00.000Z',
      'Objects: Pod shop/web-7d4b9-x2x1z, Pod shop/web-7d4b9-q8k2m',
      'Last message: Back-off restarting failed container app (again)',
    ]);
  });

  it('a markdown digest says how often in its title', async () => {
    const { ding, sink } = await setup({ msg_type: 'markdown' });
    await write(sink, [digest(12)]);
    expect(ding.messages[0]?.title).toBe('Warning BackOff Pod shop/web-7d4b9-x2x1z (×12)');
  });

  it('a batch of several events is one message (the rate limit counts messages)', async () => {
    const { ding, sink } = await setup({ label: ['cluster1'] });
    const names = ['web-1', 'web-2', 'web-3'];
    await write(
      sink,
      names.map((name) => warning({ involvedObject: { kind: 'Pod', namespace: 'shop', name } })),
    );
    expect(ding.messages).toHaveLength(1);
    const blocks = ding.messages[0]?.content.split('\n\n') ?? [];
    expect(blocks.map((b) => b.split('\n').find((l) => l.startsWith('Name: ')))).toEqual([
      'Name: web-1',
      'Name: web-2',
      'Name: web-3',
    ]);
    expect(blocks[0]?.startsWith('cluster1\nLevel: Warning')).toBe(true);
  });

  it('a template replaces the fields; labels still come first; Go-style names work', async () => {
    const template =
      '[{{ cluster_id }}] {{ .Type }} {{ .InvolvedObject.Kind }}/{{ involvedObject.name }}: {{ .Message }} ({{ count }}x)';
    const { ding, sink } = await setup({ label: ['cluster1'], template, cluster_id: 'c1' });
    await write(sink, [warning({ message: 'say "hi"\\', count: 3 })]);
    expect(ding.messages[0]?.content).toBe('cluster1\n[c1] Warning Pod/web-1: say "hi"\\ (3x)');
  });
});
