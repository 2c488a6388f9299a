import * as kit from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { kubeEvent } from './support/kube-event.js';

describe('@keventer/core/kit', () => {
  it('fitJsonBody keeps a body within the limit, cutting as little text as it can', () => {
    const text = `${'"quoted"\n'.repeat(300)}tail`;
    const build = (t: string) => ({ msgtype: 'text', text: { content: t } });
    const limit = { maxBytes: 1000, noRoom: 'no room' };
    const body = kit.fitJsonBody('kit-test', text, build, limit);
    expect(kit.utf8Length(body)).toBeLessThanOrEqual(1000);
    const content = (JSON.parse(body) as { text: { content: string } }).text.content;
    expect(content.endsWith(kit.TRUNCATED_MARKER)).toBe(true);
    // One more character would not fit: the cut is the longest that does.
    const longer = kit.truncateUtf8(text, kit.utf8Length(content) + 1);
    expect(kit.utf8Length(JSON.stringify(build(longer)))).toBeGreaterThan(1000);
    expect(kit.fitJsonBody('kit-test', 'short', build, limit)).toBe(JSON.stringify(build('short')));
    expect(() =>
      kit.fitJsonBody('kit-test', text, () => ({ pad: 'x'.repeat(2000) }), limit),
    ).toThrow(/\[kit-test\] no room/);
  });

  it('batchTitle counts the other events', () => {
    const events = [kubeEvent(), kubeEvent(), kubeEvent()];
    const title = kit.renderTitle(events[0]!);
    expect(kit.batchTitle(events)).toBe(`${title} and 2 more`);
    expect(kit.batchTitle(events, (n) => ` (+${n} more)`)).toBe(`${title} (+2 more)`);
    expect(kit.batchTitle(events.slice(0, 1))).toBe(title);
    expect(kit.batchTitle([])).toBe('');
  });

  it('readCodeAnswer and codeError read a code table', () => {
    const answer = (text: string) => ({ status: 200, headers: new Headers(), text });
    const fields = { code: ['code', 'StatusCode'], message: ['msg', 'StatusMessage'] };
    expect(
      kit.readCodeAnswer(answer('{"StatusCode":7,"msg":"","StatusMessage":"no"}'), fields),
    ).toMatchObject({
      code: 7,
      message: 'no',
    });
    expect(kit.readCodeAnswer(answer('<html>'), fields)).toEqual({
      json: undefined,
      code: undefined,
      message: '',
    });
    const busy = kit.codeError('kit-test', { retryable: true, retryAfterMs: 5 }, 'busy');
    expect([busy.retryable, busy.retryAfterMs]).toEqual([true, 5]);
    expect(kit.codeError('kit-test', undefined, 'refused').retryable).toBe(false);
  });

  it('chatLayout compiles the template option; chatText puts the labels first', () => {
    const layout = kit.chatLayout('kit-test', {
      msg_type: 'text',
      label: ['prod'],
      template: '{{ .Reason }}',
    });
    const events = [kubeEvent({ reason: 'A' }), kubeEvent({ reason: 'B' })];
    expect(kit.chatText(events, layout, () => 'unused')).toBe('prod\nA\n\nB');
    const plain = kit.chatLayout('kit-test', { msg_type: 'text' });
    expect(kit.chatText(events, plain, (e) => e.reason)).toBe('A\n\nB');
    expect(() => kit.chatLayout('kit-test', { msg_type: 'text', template: ' ' })).toThrow(/empty/);
  });
});

describe('chatRobotDelivery', () => {
  it("lays a service's own limits over the chatRobot profile, field by field", () => {
    const { chatRobot } = kit.deliveryProfiles;
    expect(kit.chatRobotDelivery()).toEqual(chatRobot);
    expect(
      kit.chatRobotDelivery({ request: { rateLimitNum: 1 }, buffer: { maxEvents: 300 } }),
    ).toEqual({
      ...chatRobot,
      request: { ...chatRobot.request, rateLimitNum: 1 },
      buffer: { ...chatRobot.buffer, maxEvents: 300 },
    });
  });
});

describe('truncateChars', () => {
  it('cuts within the character count, never inside a surrogate pair or an entity', () => {
    expect(kit.truncateChars('short', 10)).toBe('short');
    expect(kit.truncateChars('x'.repeat(20), 10, '…')).toBe(`${'x'.repeat(9)}…`);
    expect(kit.truncateChars(`${'x'.repeat(8)}😀tail`, 10, '…')).toBe(`${'x'.repeat(8)}…`);
    expect(kit.truncateChars(`${'x'.repeat(6)}&amp;tail`, 10, '…')).toBe(`${'x'.repeat(6)}…`);
  });
});
