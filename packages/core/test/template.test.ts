import { describe, expect, it } from 'vitest';
import { renderText, renderTitle } from '../src/kit/event-fields.js';
import { TRUNCATED_MARKER, truncateUtf8, utf8Length } from '../src/kit/truncate.js';
import { eventTemplateRoots } from '../src/template/event-view.js';
import { compileTemplateOption } from '../src/template/option.js';
import { compileTemplate, TemplateError } from '../src/template/template.js';
import { kubeEvent } from './support/kube-event.js';

const hostile = 'say "hi" \\ then\nnext line 中文 🚀 \u2028';
const event = kubeEvent({
  message: hostile,
  raw: { source: { component: 'kubelet', host: 'node-1' }, metadata: { name: 'e1' } },
});

describe('compileTemplate', () => {
  it('renders kube-eventer Go-template field names and camelCase paths alike', () => {
    const t = compileTemplate(
      '{{ .Type }}/{{ .InvolvedObject.Kind }}/{{ involvedObject.name }}/{{.Reason}}',
    );
    expect(t.render(...eventTemplateRoots(event))).toBe('Warning/Pod/web-1/BackOff');
  });

  it('falls back to extra values, then to the object as received', () => {
    const t = compileTemplate(
      '{{ cluster }} {{ .Source.Host }} {{ .Metadata.Name }} [{{ .Nope }}]',
    );
    expect(t.render(...eventTemplateRoots(event, { cluster: 'prod' }))).toBe('prod node-1 e1 []');
  });

  it('escapes for JSON so the body stays valid whatever the message holds', () => {
    const t = compileTemplate('{"msg":"{{ .Message }}","count":{{ .Count }}}', { escape: 'json' });
    const body = t.render(...eventTemplateRoots(event));
    expect(JSON.parse(body)).toEqual({ msg: hostile, count: 1 });
  });

  it('refuses logic, with the tag and its line', () => {
    expect(() => compileTemplate('a\n{{ if .Type }}x{{ end }}', { name: 'ConfigMap x/y' })).toThrow(
      new TemplateError(
        "template ConfigMap x/y, line 2: '{{ if .Type }}' is not a field reference; templates are logic-less, write {{ .Field }} or {{ field.path }}",
      ),
    );
    expect(() => compileTemplate('{{ .Message | printf }}')).toThrow(/not a field reference/);
    expect(() => compileTemplate('x {{ .Type')).toThrow(/line 1: '\{\{' is never closed/);
  });

  it('cannot reach prototypes or functions', () => {
    expect(() => compileTemplate('{{ constructor }}')).toThrow(/'constructor' cannot be used/);
    expect(() => compileTemplate('{{ .Message.__proto__ }}')).toThrow(/cannot be used/);
    const t = compileTemplate('[{{ toString }}][{{ .Message.length }}][{{ hasOwnProperty }}]');
    expect(t.render(...eventTemplateRoots(event))).toBe('[][][]');
  });
});

describe('notification layout', () => {
  it("is kube-eventer's text layout, labels first", () => {
    const e = kubeEvent({ lastTimestamp: '2026-11-27T10:00:00Z', message: 'boom' });
    expect(renderText(e, ['cluster: prod'])).toBe(
      [
        'cluster: prod',
        'Level: Warning',
        'Kind: Pod',
        'Namespace: shop',
        'Name: web-1',
        'Reason: BackOff',
        'Timestamp: 2026-11-27T10:00:00Z',
        'Message: boom',
      ].join('\n'),
    );
    expect(renderTitle(e)).toBe('Warning BackOff Pod shop/web-1');
  });
});

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    expect(truncateUtf8('short', 100)).toBe('short');
  });

  it('cuts on a character boundary, marker included in the limit', () => {
    const text = '中'.repeat(100); // 300 bytes
    for (const max of [50, 51, 52, 53, 100]) {
      const cut = truncateUtf8(text, max);
      expect(utf8Length(cut)).toBeLessThanOrEqual(max);
      expect(cut.endsWith(TRUNCATED_MARKER)).toBe(true);
      expect(cut).not.toContain('\uFFFD');
    }
    const emoji = truncateUtf8('🚀'.repeat(50), 40);
    expect(emoji).toBe(`${'🚀'.repeat(6)}${TRUNCATED_MARKER}`);
  });
});

describe('digest layout', () => {
  const digestOf = (count: number, first: string, last: string) => {
    const base = kubeEvent({ lastTimestamp: first, message: 'boom' });
    return {
      ...base,
      digest: {
        key: 'shop/Pod:web/BackOff',
        count,
        firstTimestamp: first,
        lastTimestamp: last,
        last: { ...base, lastTimestamp: last, message: 'boom again' },
        objects: ['Pod shop/web-1'],
        moreObjects: 2,
        windowMs: 300_000,
      },
    };
  };

  it('says how often, over which span, which objects, and the last message when it differs', () => {
    const text = renderText(digestOf(12, '2026-11-27T10:00:00Z', '2026-11-27T10:04:00Z'));
    expect(text).toContain(
      'Repeated: 12 more times from 2026-11-27T10:00:00Z to 2026-11-27T10:04:00Z\nObjects: Pod shop/web-1 and 2 more\nLast message: boom again',
    );
    expect(renderTitle(digestOf(12, 'a', 'b'))).toBe('Warning BackOff Pod shop/web-1 (×12)');
  });

  it('reads well for a single repeat', () => {
    const text = renderText(digestOf(1, '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z'));
    expect(text).toContain('Repeated: 1 more time at 2026-11-27T10:00:00Z');
  });
});

describe('compileTemplateOption', () => {
  it('turns a bad or empty template into a SinkConfigError naming the option', () => {
    expect(() => compileTemplateOption('dingtalk', '  ')).toThrow(
      "[keventer] [dingtalk] option 'template' is empty",
    );
    expect(() => compileTemplateOption('dingtalk', '{{ if .Type }}')).toThrow(
      /\[dingtalk\] template of option 'template', line 1: '\{\{ if \.Type \}\}' is not a field reference/,
    );
    const t = compileTemplateOption('slack', '{{ .Reason }}', { escape: 'json' });
    expect(t.render({ reason: 'a"b' })).toBe('a\\"b');
  });
});
