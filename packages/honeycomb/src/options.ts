import { option } from '@keventer/core/kit';

/** Honeycomb's US API; EU teams use https://api.eu1.honeycomb.io/. */
export const DEFAULT_API_HOST = 'https://api.honeycomb.io/';

/**
 * kube-eventer's options, same names and defaults
 * (`honeycomb:?dataset=k8s&writekey=$HONEYCOMB_WRITEKEY&apihost=https://api.honeycomb.io/`).
 */
export const honeycombOptions = {
  dataset: option.string({
    description:
      'The dataset the events go to (created by the first write); no slash. kube-eventer’s default: heapster.',
    default: 'heapster',
  }),
  writekey: option.string({
    description:
      'The API key (an Ingest key, or a Configuration key with Send Events), sent as X-Honeycomb-Team.',
    secret: true,
    env: 'HONEYCOMB_WRITEKEY',
    required: true,
  }),
  apihost: option.url({
    description:
      'The API host: https://api.honeycomb.io/ (US), https://api.eu1.honeycomb.io/ (EU), or a proxy (its path is kept).',
    protocols: ['http', 'https'],
    default: DEFAULT_API_HOST,
  }),
};
