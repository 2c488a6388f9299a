import * as kit from '@keventer/core/kit';

/** What fixes a Kafka error that retrying cannot (by kafkajs's `type`, Kafka's error names). */
const FIXES: Readonly<Record<string, string>> = {
  TOPIC_AUTHORIZATION_FAILED: 'the user may not write to the topic: grant it WRITE on eventstopic',
  CLUSTER_AUTHORIZATION_FAILED: 'the user may not produce to this cluster: grant it the ACL',
  SASL_AUTHENTICATION_FAILED: 'check user, password and sasl_mechanism',
  ILLEGAL_SASL_STATE: 'check sasl_mechanism: the broker expects another',
  UNSUPPORTED_SASL_MECHANISM: 'the broker does not offer this sasl_mechanism: use one it lists',
  MESSAGE_TOO_LARGE:
    "a partition's share of the batch is over the topic's max.message.bytes: lower batch.maxBytes or batch.maxEvents, or raise max.message.bytes",
  RECORD_LIST_TOO_LARGE:
    "the batch is over the broker's limit: lower batch.maxBytes or batch.maxEvents",
  INVALID_TOPIC_EXCEPTION: 'eventstopic is not a valid topic name here',
  UNSUPPORTED_COMPRESSION_TYPE: 'the broker or topic refuses this compression: pick another',
  POLICY_VIOLATION: "the cluster's create-topic policy refused the topic: create it yourself",
  INVALID_RECORD: 'the broker refused a record (a schema or compaction rule on the topic?)',
  UNSUPPORTED_VERSION: 'the broker is older than Kafka 0.11, which kafkajs needs',
};

/** What a retryable Kafka error means to whoever reads the log. */
const WAITS: Readonly<Record<string, string>> = {
  UNKNOWN_TOPIC_OR_PARTITION:
    'the topic does not exist: create it, or let the broker create it (auto.create.topics.enable)',
  LEADER_NOT_AVAILABLE: 'a partition has no leader yet (an election, a new topic)',
  NOT_LEADER_FOR_PARTITION: "a partition's leader moved",
  NOT_ENOUGH_REPLICAS: "fewer in-sync replicas than the topic's min.insync.replicas (acks=-1)",
  NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    'written, but fewer in-sync replicas than min.insync.replicas acknowledged it (the retry may repeat it)',
  REQUEST_TIMED_OUT: 'the replicas did not acknowledge in time',
};

interface KafkaJsErrorLike {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/**
 * A SinkError for what a kafkajs send threw. With kafkajs's retries off it
 * wraps the failure in KafkaJSNumberOfRetriesExceeded (never retriable):
 * the error inside says what happened. Then Kafka's error type decides with
 * its fix, else kafkajs's `retriable` flag; TLS and network errors go
 * through the kit's rules (a bad certificate is permanent, with its fix).
 */
export function sendError(sink: string, err: unknown): kit.SinkError {
  const inner = unwrap(err);
  const e = inner as KafkaJsErrorLike;
  const type = typeof e.type === 'string' ? e.type : undefined;
  const text = kit.snippet(String(e.message ?? inner), 300);
  if (type !== undefined && type in FIXES) {
    return kit.permanentError(sink, `Kafka error ${type}: ${text}: ${FIXES[type]}`, {
      cause: inner,
    });
  }
  if (type !== undefined && type in WAITS) {
    return kit.retryableError(sink, `Kafka error ${type}: ${text}: ${WAITS[type]}`, {
      cause: inner,
    });
  }
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return kit.permanentError(sink, `${text}: ${FIXES.SASL_AUTHENTICATION_FAILED}`, {
      cause: inner,
    });
  }
  const classified = kit.toSinkError(sink, inner);
  if (/certificate|self.signed|CERT_/i.test(String(e.message)) && !classified.retryable) {
    return kit.permanentError(
      sink,
      `${classified.message}: give the brokers' CA as cacert= (or fix the broker's certificate)`,
      { cause: inner },
    );
  }
  return classified;
}

/** The error a KafkaJSNumberOfRetriesExceeded or a one-error KafkaJSAggregateError wraps. */
function unwrap(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5; depth++) {
    const e = current as KafkaJsErrorLike | null;
    if (e?.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause !== undefined) {
      current = e.cause;
    } else if (
      e?.name === 'KafkaJSAggregateError' &&
      Array.isArray(e.errors) &&
      e.errors.length > 0
    ) {
      // Each broker's failure: the batch is retryable when any part is.
      const retryable = e.errors.find((x) => (x as KafkaJsErrorLike).retriable === true);
      current = retryable ?? e.errors[0];
    } else {
      return current;
    }
  }
  return current;
}
