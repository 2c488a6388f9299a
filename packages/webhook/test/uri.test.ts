import { createSinkFromUri, isSinkError } from '@keventer/core';
import { describe, expect, it } from 'vitest';
import { webhook } from '../src/index.js';
import { kubeEvent, rejection, startReceiver, track, write } from './support.js';

describe('a kube-eventer webhook URI', () => {
  it("reads kube-eventer's options from the query and keeps them off the target URL", async () => {
    const receiver = await startReceiver({ requireHeaders: { 'X-Token': 'abc' } });
    const uri = `webhook:${receiver.url}/path?existing=query&level=Warning&header=X-Token=abc&method=PUT&kinds=Pod&a%20b=c+d&flag`;
    const { sink } = await createSinkFromUri(uri);
    track(sink);
    await write(sink, [kubeEvent()]);
    const [request] = receiver.accepted;
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe('/path');
    expect(request?.query).toEqual([
      ['existing', 'query'],
      ['a b', 'c d'],
      ['flag', ''],
    ]);
    expect(sink.filter?.(kubeEvent({ type: 'Normal' }))).toBe(false);
    expect(sink.filter?.(kubeEvent())).toBe(true);
  });

  it('keeps delivery settings apart and uses them as the sink defaults', async () => {
    const { sink } = await createSinkFromUri(
      'webhook:http://127.0.0.1:1/h?batch.maxEvents=20&body_format=ndjson&request.timeoutMs=5s',
    );
    track(sink);
    expect(sink.delivery).toEqual({
      defaults: { batch: { maxEvents: 100, timeoutMs: 1000 } },
      uri: { 'batch.maxEvents': '20', 'request.timeoutMs': '5s' },
    });
  });

  it('refuses a key that looks like a misspelt option, and query.<key> sends it anyway', async () => {
    const error = await rejection(
      webhook.fromUri('webhook:http://h/x?namespace=prod&Level=Warning&token=ok'),
    );
    expect(error.message).toMatch(/'namespace' looks like the option 'namespaces'/);
    expect(error.message).toMatch(/'Level' looks like the option 'level'/);

    const receiver = await startReceiver();
    const sink = track(
      await webhook.fromUri(
        `webhook:${receiver.url}/x?query.namespace=prod&namespaces=shop&query.level=debug&query.request.id=7`,
      ),
    );
    await write(sink, [kubeEvent()]);
    expect(receiver.accepted[0]?.query).toEqual([
      ['namespace', 'prod'],
      ['level', 'debug'],
      ['request.id', '7'],
    ]);
  });

  it('leaves an endpoint= key on a target URL, and reads it as the option without one', async () => {
    const receiver = await startReceiver();
    const onTarget = track(await webhook.fromUri(`webhook:${receiver.url}/f?endpoint=x`));
    await write(onTarget, [kubeEvent()]);
    expect(receiver.accepted[0]?.query).toEqual([['endpoint', 'x']]);

    const asOption = track(await webhook.fromUri(`webhook:?endpoint=${receiver.url}/g`));
    await write(asOption, [kubeEvent()]);
    expect(receiver.accepted[1]?.path).toBe('/g');
  });

  it('refuses unknown options in code, and a missing endpoint', async () => {
    await expect(webhook({ endpoint: 'http://h/x', levl: 'Warning' } as never)).rejects.toThrow(
      /unknown option 'levl' \(did you mean 'level'\?\)/,
    );
    await expect(webhook.fromUri('webhook:?level=Warning')).rejects.toThrow(
      /missing required option 'endpoint'/,
    );
  });

  it('never shows header values, the signing secret or URL tokens in errors', async () => {
    const uri =
      'webhook:http://127.0.0.1:1/x?token=url-s3cret&header=Authorization=Bearer%20hdr-s3cret&header=bad&signing_secret=sig-s3cret';
    const startup = await rejection(createSinkFromUri(uri));
    expect(startup.message).toMatch(/header #2: expected Name=Value/);
    for (const secret of ['url-s3cret', 'hdr-s3cret', 'sig-s3cret']) {
      expect(startup.message).not.toContain(secret);
    }

    const { sink } = await createSinkFromUri(uri.replace('&header=bad', ''));
    const failed = await rejection(write(sink, [kubeEvent()]));
    expect(isSinkError(failed) && failed.retryable).toBe(true);
    for (const secret of ['url-s3cret', 'hdr-s3cret', 'sig-s3cret']) {
      expect(`${failed.message} ${failed.stack}`).not.toContain(secret);
    }
  });
});
