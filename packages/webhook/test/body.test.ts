import type { DigestEvent } from '@keventer/core';
import { describe, expect, it } from 'vitest';
import { batchBody, compileBodyTemplate, defaultBody } from '../src/body.js';
import { kubeEvent } from './support.js';

const HOSTILE = 'quote " backslash \\ tab \t newline \n 中文 🚀 </script> \u0000';

describe('the default body', () => {
  it("has kube-eventer's keys and values, exactly", () => {
    expect(defaultBody(kubeEvent())).toBe(
      '{"EventType":"Warning","EventKind":"Pod","EventReason":"BackOff","EventTime":"2024-05-01T10:05:00.000Z","EventMessage":"Back-off restarting failed container"}',
    );
  });

  it('keeps JSON-hostile text intact (kube-eventer stripped quotes)', () => {
    const body = defaultBody(kubeEvent({ message: HOSTILE }));
    expect(JSON.parse(body).EventMessage).toBe(HOSTILE);
  });

  it('renders a digest as one body with its counts and objects', () => {
    const first = kubeEvent();
    const digest: DigestEvent = {
      ...first,
      digest: {
        key: 'shop/Deployment:web/BackOff',
        count: 4,
        firstTimestamp: '2024-05-01T10:05:00Z',
        lastTimestamp: '2024-05-01T10:09:00Z',
        last: kubeEvent({ message: 'last one' }),
        objects: ['Pod shop/web-1', 'Pod shop/web-2'],
        moreObjects: 0,
        windowMs: 300_000,
      },
    };
    expect(JSON.parse(defaultBody(digest)).EventDigest).toEqual({
      Count: 4,
      FirstTime: '2024-05-01T10:05:00Z',
      LastTime: '2024-05-01T10:09:00Z',
      Objects: ['Pod shop/web-1', 'Pod shop/web-2'],
      MoreObjects: 0,
      LastMessage: 'last one',
    });
  });
});

describe('body templates', () => {
  const KUBE_EVENTER_STYLE = `{
  "kind": "{{ .InvolvedObject.Kind }}",
  "name": "{{ .InvolvedObject.Name }}",
  "type": "{{ .Type }}",
  "reason": "{{ .Reason }}",
  "message": "{{ .Message }}",
  "component": "{{ .Source.Component }}",
  "count": {{ .Count }}
}`;

  it("take kube-eventer's Go-template field names and escape values as JSON", () => {
    const render = compileBodyTemplate(KUBE_EVENTER_STYLE, 'test');
    expect(JSON.parse(render(kubeEvent({ message: HOSTILE })))).toEqual({
      kind: 'Pod',
      name: 'web-1',
      type: 'Warning',
      reason: 'BackOff',
      message: HOSTILE,
      component: 'kubelet',
      count: 1,
    });
  });

  it('are refused when they do not render JSON', () => {
    expect(() => compileBodyTemplate('{"m": {{ .Message }}}', 'test')).toThrow(
      /does not render valid JSON/,
    );
    expect(() => compileBodyTemplate('{"m": "{{ if .Message }}"}', 'test')).toThrow(/logic-less/);
  });
});

describe('batch bodies', () => {
  const events = [kubeEvent({ message: 'one' }), kubeEvent({ message: 'two\nlines' })];
  const multiLine = compileBodyTemplate('{\n  "m": "{{ .Message }}"\n}', 'test');

  it('json_array is one JSON array of the bodies', () => {
    expect(JSON.parse(batchBody(events, multiLine, 'json_array'))).toEqual([
      { m: 'one' },
      { m: 'two\nlines' },
    ]);
  });

  it('ndjson is one body per line, even from a multi-line template', () => {
    expect(batchBody(events, multiLine, 'ndjson')).toBe('{"m":"one"}\n{"m":"two\\nlines"}\n');
  });

  it('a body that is not JSON for one event is a permanent failure', () => {
    const count = compileBodyTemplate('{"n": {{ .Count }}}', 'test');
    const noCount = { ...kubeEvent(), count: '' as unknown as number };
    expect(() => batchBody([noCount], count, 'event')).toThrow(
      expect.objectContaining({ retryable: false }),
    );
  });
});
