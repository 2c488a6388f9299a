import * as kit from '@keventer/core/kit';
import type { MongoBulkWriteError } from 'mongodb';
import { codeError, DUPLICATE_KEY, writeError } from './answer.js';
import { mongoClient } from './client.js';
import { type EventDocument, eventDocument } from './document.js';
import { mongoOptions } from './options.js';
import { rawOptionsFromUri } from './uri.js';

export const SINK_NAME = 'mongo';

/** Options in code: `await mongo({ url: 'mongodb://user:pw@db:27017', write_concern: 'majority' })`. */
export type MongoOptions = kit.OptionsInput<typeof mongoOptions>;

/** Documents per insertMany by default, and inserts in flight at once: a pooled connection each. */
const BATCH_EVENTS = 1000;
const CONCURRENCY = 2;

/** MongoDB: kube-eventer's k8s.event documents, one unordered insertMany per batch, `_id` by occurrence. */
export const mongo = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "MongoDB: kube-eventer's k8s.event documents, one unordered insertMany per batch, idempotent by occurrence.",
  options: mongoOptions,
  delivery: {
    // Far under the server's 48 MB message and 100,000 documents per insert.
    batch: { maxEvents: BATCH_EVENTS, maxBytes: 8_000_000, timeoutMs: 1000 },
    request: { concurrency: CONCURRENCY, timeoutMs: 30_000 },
  },
  fromUri: rawOptionsFromUri,
  create(options) {
    // One connection per insert in flight, one more for an insert the engine gave up on.
    const { client, writeConcern } = mongoClient(SINK_NAME, options, CONCURRENCY + 1);
    const collection = client.db(options.database).collection<EventDocument>(options.collection);

    const insert = async (batch: readonly kit.KubeEvent[]) => {
      try {
        await collection.insertMany(batch.map(eventDocument), {
          ordered: false,
          ...(writeConcern ? { writeConcern } : {}),
        });
      } catch (err) {
        const failure = isBulkWriteError(err)
          ? bulkFailure(batch, err)
          : writeError(SINK_NAME, err);
        if (failure !== undefined) throw failure;
      }
    };

    return {
      name: SINK_NAME,
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        signal.throwIfAborted();
        // An aborted insert still finishes: ids come from the occurrence, so the retry inserts nothing twice.
        await kit.untilAborted(insert(batch), signal);
      },
      close: () => client.close(),
    };
  },
});

function isBulkWriteError(err: unknown): err is MongoBulkWriteError {
  return (err as { name?: unknown } | null)?.name === 'MongoBulkWriteError';
}

/**
 * What an unordered insert's per-document errors mean: a duplicate `_id` is
 * the occurrence written before (a replay), delivered; the others fail their
 * event alone. A write concern error (written, not yet replicated enough)
 * fails the batch retryably: the retry inserts nothing twice.
 */
function bulkFailure(batch: readonly kit.KubeEvent[], err: MongoBulkWriteError): Error | undefined {
  const writeErrors = err.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  if (list.length === 0) return writeError(SINK_NAME, err);
  const failures = list
    .filter((w) => w.code !== DUPLICATE_KEY)
    .map((w) => ({
      index: w.index,
      error: codeError(SINK_NAME, w.code, w.errmsg ?? '', { cause: err, unknownRetryable: false }),
    }));
  if (err.writeConcernError) {
    const { code, errmsg } = err.writeConcernError;
    return codeError(SINK_NAME, code ?? 64, `write concern: ${errmsg ?? ''}`, {
      cause: err,
      unknownRetryable: true,
    });
  }
  return failures.length > 0 ? kit.partialFailure(SINK_NAME, batch, failures) : undefined;
}
