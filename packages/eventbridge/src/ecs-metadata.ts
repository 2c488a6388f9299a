import * as kit from '@keventer/core/kit';

const TIMEOUT_MS = 2000;

/**
 * One value of the ECS metadata service (`/latest/meta-data/owner-account-id`),
 * or `hint` (how to do without it) in a retryable error,
 * in its hardened mode as kube-eventer's client reads it: a session token
 * from `PUT /latest/api/token` first, sent with the GET. An instance in
 * normal mode refuses no token-less GET, so a failed token request is not
 * fatal. Failures are retryable: the service may be starting.
 */
export async function readEcsMetadata(
  sink: string,
  endpoint: string,
  path: string,
  hint: string,
  signal: AbortSignal,
): Promise<string> {
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]);
  const fail = (why: string) =>
    kit.retryableError(
      sink,
      `could not read ${path} from the ECS metadata service at ${endpoint} (${why}): ${hint}`,
    );
  try {
    const token = await kit.sendJson(sink, new URL('/latest/api/token', endpoint), '', {
      signal: bounded,
      method: 'PUT',
      headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' },
    });
    const headers: Record<string, string> =
      token.status === 200 ? { 'x-aliyun-ecs-metadata-token': token.text.trim() } : {};
    const answer = await kit.sendJson(sink, new URL(path, endpoint), undefined, {
      signal: bounded,
      method: 'GET',
      headers,
    });
    const value = answer.text.trim();
    if (answer.status !== 200 || value === '') throw fail(`HTTP ${answer.status}`);
    return value;
  } catch (error) {
    if (kit.isSinkError(error) && error.message.includes('ECS metadata')) throw error;
    throw fail(error instanceof Error ? error.message : String(error));
  }
}
