import * as kit from '@keventer/core/kit';

/** The ECS metadata service, where kube-eventer read the region when it was given none. */
export const ECS_METADATA = 'http://100.100.100.200';
const REGION_PATH = '/latest/meta-data/region-id';
const HINT = 'give regionId (e.g. cn-hangzhou) or the endpoint (SLS_ENDPOINT)';

/**
 * The node's region from the ECS metadata (kube-eventer's managed-cluster
 * deployment sets no region), in the service's hardened mode as kube-eventer's
 * client reads it: a session token from `PUT /latest/api/token`, sent with the
 * GET; a service in normal mode answers without it. Failures are retryable:
 * the service may be starting. (The same exchange as the eventbridge sink's:
 * one shared kit helper is the plan.)
 */
export async function metadataRegion(
  sink: string,
  metadataEndpoint: string,
  signal: AbortSignal,
): Promise<string> {
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(2000)]);
  const fail = (why: string) =>
    kit.retryableError(
      sink,
      `could not read the region from the ECS metadata at ${metadataEndpoint} (${why}): ${HINT}`,
    );
  let answer: kit.HttpAnswer;
  try {
    const token = await kit.sendJson(sink, new URL('/latest/api/token', metadataEndpoint), '', {
      signal: bounded,
      method: 'PUT',
      headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' },
    });
    const headers: Record<string, string> =
      token.status === 200 ? { 'x-aliyun-ecs-metadata-token': token.text.trim() } : {};
    answer = await kit.sendJson(sink, new URL(REGION_PATH, metadataEndpoint), undefined, {
      signal: bounded,
      method: 'GET',
      headers,
    });
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  const region = answer.text.trim();
  if (answer.status !== 200) throw fail(`HTTP ${answer.status}`);
  if (!/^[a-z0-9-]+$/.test(region))
    throw kit.permanentError(
      sink,
      `the ECS metadata gave the region '${kit.snippet(region, 40)}', which is not one: ${HINT}`,
    );
  return region;
}
