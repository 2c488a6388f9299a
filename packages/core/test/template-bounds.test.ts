import { describe, expect, it } from 'vitest';
import { TRUNCATED_MARKER } from '../src/kit/truncate.js';
import { eventTemplateRoots } from '../src/template/event-view.js';
import {
  compileTemplate,
  DEFAULT_TEMPLATE_MAX_LENGTH,
  TemplateError,
} from '../src/template/template.js';
import { kubeEvent } from './support/kube-event.js';

const MiB = 1 << 20;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('template compile time is linear in its size', () => {
  it('compiles 40,000 tags over 40,000 lines in well under a second (was 7-10 s)', () => {
    const source = 'line\n{{ .InvolvedObject.Name }} {{ .Message }}'.repeat(20_000);
    const { value, ms } = timed(() => compileTemplate(source));
    expect(value.tags).toBe(40_000);
    expect(ms).toBeLessThan(1000);
  });

  it('reports the line of a bad tag at the end of a big template, quickly', () => {
    const source = `${'x\n{{ .Reason }}'.repeat(30_000)}\n{{ if .Type }}`;
    const { ms } = timed(() =>
      expect(() => compileTemplate(source)).toThrow(/line 30002: '\{\{ if \.Type \}\}'/),
    );
    expect(ms).toBeLessThan(1000);
  });

  it('finds an unclosed tag among 100,000 opening braces in linear time', () => {
    const source = '{{ '.repeat(100_000);
    const { ms } = timed(() => expect(() => compileTemplate(source)).toThrow(/never closed/));
    expect(ms).toBeLessThan(1000);
  });

  it('quotes a huge bad tag in its error only in part', () => {
    const error = (() => {
      try {
        compileTemplate(`{{ ${'x '.repeat(500_000)} }}`);
      } catch (caught) {
        return caught as TemplateError;
      }
      throw new Error('compiled');
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('template output is bounded before it is built', () => {
  const huge = kubeEvent({ message: 'm'.repeat(5 * MiB) });
  const sixty = compileTemplate('{{ .Message }},'.repeat(60));

  it('stops rendering once the limit is passed, and says it cut', () => {
    const { value, ms } = timed(() => sixty.renderWithin(20_000, eventTemplateRoots(huge)));
    expect(value.cut).toBe(true);
    expect(value.text).toBe('m'.repeat(20_000));
    expect(ms).toBeLessThan(200);
  });

  it('escapes no more of a value than can still fit', () => {
    let escaped = 0;
    const t = compileTemplate('{{ .Message }}'.repeat(60), {
      escape: (text) => {
        escaped += text.length;
        return text;
      },
    });
    t.renderWithin(4096, eventTemplateRoots(huge));
    expect(escaped).toBeLessThanOrEqual(4096 + 16);
  });

  it('render() stops at its limit (1 MiB by default) and marks the cut', () => {
    const two = kubeEvent({ message: 'é'.repeat(2 * MiB) });
    const text = compileTemplate('{{ .Message }}'.repeat(8)).render(...eventTemplateRoots(two));
    expect(text.length).toBe(DEFAULT_TEMPLATE_MAX_LENGTH + TRUNCATED_MARKER.length);
    expect(text.endsWith(TRUNCATED_MARKER)).toBe(true);
    const small = compileTemplate('{{ .Message }}!', { maxLength: 5 });
    expect(small.render({ message: 'hello' })).toBe(`hello${TRUNCATED_MARKER}`);
    expect(small.render({ message: 'hell' })).toBe('hell!');
  });

  it('never splits an emoji; escapes what it keeps', () => {
    const t = compileTemplate('"{{ .Message }}"', { escape: 'json' });
    expect(t.renderWithin(3, [{ message: '🚀🚀' }])).toEqual({ text: '"🚀', cut: true });
    expect(t.renderWithin(2, [{ message: '🚀🚀' }])).toEqual({ text: '"', cut: true });
    expect(t.renderWithin(10, [{ message: 'a\nb' }])).toEqual({ text: '"a\\nb"', cut: false });
  });

  it('cuts each value to maxValueLength, escaped after the cut', () => {
    const t = compileTemplate('{"m":"{{ .Message }}","r":"{{ .Reason }}"}', { escape: 'json' });
    const { text, cut } = t.renderWithin(1000, [{ message: '"'.repeat(50), reason: 'ok' }], {
      maxValueLength: 10,
    });
    expect(cut).toBe(false);
    expect(JSON.parse(text)).toEqual({ m: `${'"'.repeat(10)}${TRUNCATED_MARKER}`, r: 'ok' });
  });
});
