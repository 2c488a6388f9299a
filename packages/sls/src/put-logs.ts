import type { Agent } from 'node:http';
import * as kit from '@keventer/core/kit';
import { answerError } from './answer.js';
import { compressBody } from './compress.js';
import { eventLog } from './contents.js';
import type { Credentials } from './credentials.js';
import type { SlsTarget } from './endpoint.js';
import { postBytes } from './http-post.js';
import { encodeLog, encodeLogGroup } from './log-group.js';
import type { SlsCompression } from './options.js';
import { type SlsCredentials, signedHeaders } from './sign.js';
import { type GroupPart, MAX_GROUP_BYTES, splitIntoGroups } from './split.js';

/** Everything a write needs that does not change between writes. */
export interface SlsWriter {
  readonly sink: string;
  /** The project's host and the connections to it (the region may be read at the first write). */
  readonly connect: (signal: AbortSignal) => Promise<{ target: SlsTarget; agent: Agent }>;
  readonly credentials: Credentials;
  readonly logStore: string;
  readonly topic: string;
  readonly source: string;
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly compression: SlsCompression;
}

/**
 * Writes a batch with PutLogs: one request per group of at most 4096 logs and
 * 5 MB, usually one. Resolves when every group was written; when some were
 * not, the events of those fail alone (partialFailure); when the only group
 * failed, its error is the batch's.
 */
export async function putLogs(
  writer: SlsWriter,
  batch: readonly kit.KubeEvent[],
  signal: AbortSignal,
): Promise<void> {
  const connection = await writer.connect(signal);
  const key = await writer.credentials.get(signal);
  const now = Date.now();
  const logs = batch.map((event) => encodeLog(eventLog(event, writer.labels, now)));
  const { parts, tooBig } = splitIntoGroups(logs);
  const failures: kit.EventFailure[] = tooBig.map((index) => ({
    index,
    error: kit.permanentError(
      writer.sink,
      `the event is ${logs[index]?.length} bytes as a log, over SLS's ${MAX_GROUP_BYTES} bytes for a whole request: it cannot be written`,
    ),
  }));
  const errors: kit.SinkError[] = [];
  for (const part of parts) {
    const error = await putGroup(writer, connection, key, part, signal).then(
      () => undefined,
      (e: unknown) => kit.toSinkError(writer.sink, e),
    );
    if (!error) continue;
    errors.push(error);
    for (const index of part.indices) failures.push({ index, error });
  }
  if (failures.length === 0) return;
  const [only] = errors;
  if (only && errors.length === 1 && tooBig.length === 0 && failures.length === batch.length)
    throw only;
  throw kit.partialFailure(writer.sink, batch, failures);
}

const PROTOBUF = 'application/x-protobuf';

/** One PutLogs request: the group, compressed and signed, to the logstore's load-balanced shards. */
async function putGroup(
  writer: SlsWriter,
  { target, agent }: { target: SlsTarget; agent: Agent },
  key: SlsCredentials,
  part: GroupPart,
  signal: AbortSignal,
): Promise<void> {
  const raw = encodeLogGroup(part.logs, { topic: writer.topic, source: writer.source });
  const { body, compressType } = compressBody(raw, writer.compression);
  const path = `/logstores/${encodeURIComponent(writer.logStore)}/shards/lb`;
  const headers = signedHeaders(
    {
      method: 'POST',
      path,
      body,
      contentType: PROTOBUF,
      headers: {
        'x-log-bodyrawsize': String(raw.length),
        ...(compressType ? { 'x-log-compresstype': compressType } : {}),
      },
    },
    key,
    new Date(),
  );
  const answer = await postBytes(writer.sink, target, agent, {
    path,
    headers,
    body,
    signal,
  });
  // Credentials read from ACK's file are no option values, which the kit masks: hide them here
  // too, should a proxy echo the request back.
  const error = answerError(writer.sink, answer, [key.accessKeySecret, key.securityToken ?? '']);
  if (error) throw error;
}
