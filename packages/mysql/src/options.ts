import { option } from '@keventer/core/kit';

/** The table layouts this sink writes (see docs/sinks/mysql.md). */
export const LAYOUTS = ['kube-eventer', 'keventer'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** The Go driver's `tls` values this sink reads (a custom name registered in Go code has no meaning here). */
export const TLS_MODES = ['false', 'true', 'skip-verify'] as const;

/**
 * The options. In a URI, kube-eventer's form: the query is a Go MySQL DSN,
 * `mysql:?user:pw@tcp(host:3306)/db?charset=utf8&table=kube_event`; its
 * parameters and this sink's options share the query after the DSN's '?'.
 * `mysql:mysql://user:pw@host:3306/db?table=...` is read too.
 */
export const mysqlOptions = {
  dsn: option.string({
    description:
      'The database: a Go MySQL DSN user[:password]@tcp(host:port)/dbname (also unix(/path/to/socket)), or mysql://user:password@host:port/dbname.',
    required: true,
    secret: true,
  }),
  password: option.string({
    description:
      "The password, instead of the DSN's (from a URI, the DSN's password is read into this option).",
    secret: true,
  }),
  table: option.string({
    description: 'The table to write to: letters, digits, _ and $ (kube-eventer: table).',
    default: 'kube_event',
  }),
  layout: option.enum(LAYOUTS, {
    description:
      'kube-eventer (its kube_event columns, message varchar(255), times as text) or keventer (message text, times as DATETIME(3) UTC, count, component, host).',
    default: 'kube-eventer',
  }),
  create_table: option.boolean({
    description: 'Create the table (in the chosen layout) when it does not exist.',
    default: true,
  }),
  charset: option.list({
    description:
      'The Go DSN charset (utf8, utf8mb4, utf8mb3): every connection uses utf8mb4 anyway, so CJK and emoji survive.',
  }),
  timeout: option.duration({
    description: 'How long to wait for a connection (the Go DSN timeout, e.g. 10s).',
    default: '10s',
    min: 1,
    max: 300_000,
  }),
  tls: option.enum(TLS_MODES, {
    description:
      "TLS as the Go DSN says it: false, true (verify the server's certificate) or skip-verify (encrypt, no verification).",
    default: 'false',
  }),
  tls_ca: option.string({
    description: "A PEM file of the CA that signed the server's certificate; turns TLS on.",
  }),
  tls_cert: option.string({
    description: 'A PEM client certificate file, with tls_key, for servers that require one.',
  }),
  tls_key: option.string({
    description: "The client certificate's PEM private key file.",
  }),
  parseTime: option.boolean({
    description:
      'Go DSN parameter, accepted for kube-eventer URIs and ignored (no values are read back).',
  }),
  loc: option.string({
    description:
      'Go DSN parameter, accepted for kube-eventer URIs and ignored (times are written in UTC).',
  }),
};
