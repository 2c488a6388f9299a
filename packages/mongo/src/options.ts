import { option } from '@keventer/core/kit';

/**
 * The options. In a URI, kube-eventer's form: the query is the MongoDB
 * connection string, `mongo:?mongodb://user:pw@db:27017/?authSource=admin`;
 * like kube-eventer's mongo sink it writes every event (no level filter);
 * this sink's own keys (database, collection, write_concern, timeout) are
 * taken out of its query, the rest is the driver's.
 */
export const mongoOptions = {
  url: option.string({
    description:
      'The MongoDB connection string, mongodb://user:password@host:27017/?options or mongodb+srv://... (kube-eventer: the whole query).',
    required: true,
    secret: true,
  }),
  database: option.string({
    description: "The database to write to (kube-eventer's is always k8s).",
    default: 'k8s',
  }),
  collection: option.string({
    description: "The collection to write to (kube-eventer's is always event).",
    default: 'event',
  }),
  write_concern: option.string({
    description:
      "The write concern of each insert: majority, or how many members acknowledge it (1, 2, ...); the connection string's w when unset. 0 is refused: an unacknowledged write cannot be known delivered.",
  }),
  timeout: option.duration({
    description:
      'How long to wait for a server to write to (server selection and connecting), e.g. 10s.',
    default: '10s',
    min: 1,
    max: 300_000,
  }),
};

/** This sink's keys in a kube-eventer URI's query; the other keys belong to the connection string. */
export const SINK_KEYS: ReadonlySet<string> = new Set(Object.keys(mongoOptions));
