import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { sendError } from '../src/answer.js';

const {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} = kafkajs;

/** kafkajs's own errors, as its retrier hands them over with retries off. */
const protocol = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ message: `broker said ${type}`, type, code, retriable } as never);
const exhausted = (error: Error) =>
  new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 0, retryTime: 300 });

describe("a kafkajs failure's classification", () => {
  it.each([
    ['NOT_LEADER_FOR_PARTITION', 6, true, /leader moved/],
    ['LEADER_NOT_AVAILABLE', 5, true, /no leader/],
    ['UNKNOWN_TOPIC_OR_PARTITION', 3, true, /auto.create.topics.enable/],
    ['NOT_ENOUGH_REPLICAS', 19, true, /min.insync.replicas/],
    ['TOPIC_AUTHORIZATION_FAILED', 29, false, /grant it WRITE/],
    ['MESSAGE_TOO_LARGE', 10, false, /batch.maxBytes/],
    ['UNSUPPORTED_COMPRESSION_TYPE', 76, false, /compression/],
  ])('%s (%i) is retryable: %s, saying what it means', (type, code, retriable, hint) => {
    // Through the wrapper kafkajs throws when it may not retry (never retriable itself).
    const error = sendError('kafka', exhausted(protocol(type, code, retriable)));
    expect(error.retryable).toBe(retriable);
    expect(error.message).toMatch(hint);
    expect(error.message).toContain(type);
  });

  it("follows kafkajs's retriable flag for a protocol error without a hint", () => {
    expect(sendError('kafka', protocol('COORDINATOR_NOT_AVAILABLE', 15, true)).retryable).toBe(
      true,
    );
    expect(sendError('kafka', protocol('INVALID_REQUIRED_ACKS', 21, false)).retryable).toBe(false);
  });

  it('retries a lost connection, fails a refused login with what to check', () => {
    const lost = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
      broker: 'k1:9092',
      code: 'ECONNREFUSED',
    });
    expect(sendError('kafka', exhausted(lost)).retryable).toBe(true);
    // Its typings say no arguments; kafkajs passes the broker's reason.
    const SaslError = KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error;
    const login = sendError('kafka', new SaslError('SASL PLAIN failed'));
    expect(login.retryable).toBe(false);
    expect(login.message).toMatch(/user, password and sasl_mechanism/);
  });
});
