import { describe, expect, it } from 'vitest';
import { createDedup } from '../src/dedup/index.js';
import { createForwarder, type ForwarderOptions } from '../src/delivery/forwarder.js';
import { consoleLogger } from '../src/logger.js';
import { OptionsError } from '../src/options-check.js';
import { EventStream } from '../src/stream/event-stream.js';

// createForwarder checks what it is given before anything runs, and lists
// every problem in one error, each by its option path and its value.
const stream = () => new EventStream({ kubeConfig: 'unused', ack: 'manual' });
const sink = { name: 'hook', write: async () => {} };

/** The OptionsError createForwarder throws for these (deliberately loose) options. */
function problemsOf(options: unknown): readonly string[] {
  try {
    createForwarder(options as ForwarderOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return (error as OptionsError).problems;
  }
  throw new Error('createForwarder accepted the options');
}

describe('createForwarder options', () => {
  it('refuses the consoleLogger factory given as the logger, at once and saying what to pass', () => {
    expect(() =>
      createForwarder({ stream: stream(), routes: [{ sink }], logger: consoleLogger as never }),
    ).toThrow(
      '[keventer] createForwarder: logger: expected a logger: an object with debug, info, warn, error methods (pino works as is) (got a function named consoleLogger); did you mean to pass consoleLogger(), the logger it makes?',
    );
    expect(() =>
      createForwarder({ stream: stream(), routes: [{ sink }], logger: consoleLogger('warn') }),
    ).not.toThrow();
  });

  it('names the logger methods that are missing', () => {
    expect(problemsOf({ stream: stream(), routes: [{ sink }], logger: { info() {} } })).toEqual([
      'logger: expected a logger: an object with debug, info, warn, error methods (pino works as is) (got an object with info); missing debug, warn, error',
    ]);
  });

  it('lists every problem of the forwarder and of each route in one error', () => {
    const problems = problemsOf({
      stream: stream(),
      drainTimeoutMs: -1,
      checkpointDelay: 100,
      health: { streamDownMs: 'soon', sinkFailing: 1 },
      routes: [
        { sink: { name: 'hook' } },
        {
          name: '',
          sink,
          filter: { type: 'Warning' },
          dedup: { mode: 'cooldown', windowMs: 1000 },
          aggregateKey: 'owner',
          onDeadLetter: 'log',
        },
        { name: 'slow', sink, delivery: { batch: { maxEvents: 0 } }, filters: [] },
        'webhook',
      ],
    });
    expect(problems).toEqual([
      "checkpointDelay: unknown option (did you mean 'checkpointDelayMs'?); accepted: stream, routes, drainTimeoutMs, checkpointDelayMs, health, logger",
      'routes[0].sink.write: expected a function (batch, ctx) => Promise<void> (got undefined)',
      "routes[1].name: expected a non-empty string (got '')",
      'routes[1].filter: expected a function (got an object with type); build one from a spec with createFilter(spec)',
      "routes[1].aggregateKey: expected a function (got 'owner')",
      "routes[1].onDeadLetter: expected a function (got 'log')",
      'routes[1].dedup: expected a Dedup (createDedup(...)) (got an object with mode, windowMs); make one from options with createDedup(options)',
      "routes[2].filters: unknown option (did you mean 'filter'?); accepted: name, sink, filter, dedup, delivery, aggregateKey, onDeadLetter",
      expect.stringMatching(
        /^routes\[2\]\.delivery: delivery setting 'batch\.maxEvents': 0 in code is not accepted/,
      ),
      "routes[3]: expected a route object ({ sink, filter?, delivery?, ... }) (got 'webhook')",
      'drainTimeoutMs: expected a number of milliseconds from 0 to 2147483647 (got -1)',
      "health.sinkFailing: unknown option (did you mean 'sinkFailingMs'?); accepted: streamDownMs, sinkFailingMs",
      "health.streamDownMs: expected a number of milliseconds > 0 (Infinity: never) (got 'soon')",
    ]);
  });

  it('refuses a missing stream, a stream that acknowledges by itself, and no routes', () => {
    expect(problemsOf({ routes: [] })).toEqual([
      "stream: expected an EventStream (new EventStream({ ack: 'manual', ... })) (got undefined)",
      'routes: expected an array of at least one route ({ sink, ... }) (got an array of 0)',
    ]);
    expect(
      problemsOf({ stream: new EventStream({ kubeConfig: 'unused' }), routes: [{ sink }] }),
    ).toEqual([
      "stream: createForwarder needs an EventStream created with ack: 'manual': otherwise its checkpoint would move past events not yet delivered",
    ]);
    expect(problemsOf(undefined)).toEqual([
      'options: expected an object with stream and routes (got undefined)',
    ]);
  });

  it('says how to make a sink from a URI, without showing its secret', () => {
    const uri = 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t0ps3cr3t&label=prod';
    let message = '';
    try {
      createForwarder({ stream: stream(), routes: [{ sink: uri as never }] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('routes[0].sink: expected a Sink');
    expect(message).toContain('make one from a URI with await createSinkFromUri(uri)');
    expect(message).not.toContain('t0ps3cr3t');
  });

  it('accepts a full, valid set of options', () => {
    expect(() =>
      createForwarder({
        stream: stream(),
        drainTimeoutMs: 0,
        checkpointDelayMs: 50,
        health: { streamDownMs: 1000, sinkFailingMs: Number.POSITIVE_INFINITY },
        logger: consoleLogger(),
        routes: [
          {
            name: 'a',
            // A sink's URI keys come with it (defineSink sets them), not as a route option.
            sink: { ...sink, delivery: { uri: { 'batch.timeoutMs': '10' } } },
            filter: () => true,
            dedup: createDedup(),
            aggregateKey: (e) => e.reason,
            onDeadLetter: () => {},
            delivery: { batch: { maxEvents: 5 } },
          },
          { name: 'b', sink: { ...sink, close: async () => {}, filter: () => true } },
        ],
      }),
    ).not.toThrow();
  });
});
