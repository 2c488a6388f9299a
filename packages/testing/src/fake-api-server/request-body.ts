import type { IncomingMessage } from 'node:http';
import { kubeStatus, StatusError } from './status.js';

/** The apiserver's request body limit (3 MiB); an object is further limited by etcd (~1.5 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads a write request's JSON body as the apiserver decodes it: size limit, media type, syntax. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new StatusError(kubeStatus(413, 'RequestEntityTooLarge', 'request entity too large'));
    }
    chunks.push(chunk as Buffer);
  }
  if (!String(req.headers['content-type']).startsWith('application/json')) {
    const message = `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`;
    throw new StatusError(kubeStatus(415, 'UnsupportedMediaType', message));
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new StatusError(kubeStatus(400, 'BadRequest', `invalid JSON: ${error}`));
  }
}
