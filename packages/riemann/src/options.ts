import { option } from '@keventer/core/kit';

/** kube-eventer's server when the URI names none (its Heapster-era service name). */
export const DEFAULT_SERVER = 'riemann-heapster:5555';

/**
 * kube-eventer's options (`riemann:riemann:5555?ttl=60&batchsize=1000&tags=k8s`),
 * plus TLS (Riemann's TLS listener, usually port 5554).
 */
export const riemannOptions = {
  endpoint: option.string({
    description:
      "The server as host:port (port 5555 when left out); kube-eventer's http://host:5555 and tcp:// or tls:// prefixes are accepted.",
    default: DEFAULT_SERVER,
  }),
  ttl: option.number({
    description:
      "Each event's ttl in seconds: how long Riemann keeps it in its index (0: none sent).",
    min: 0,
    default: 60,
  }),
  batchsize: option.number({
    description:
      'Events per Riemann message; a larger batch goes as several messages, each acknowledged.',
    integer: true,
    min: 1,
    max: 100_000,
    default: 1000,
  }),
  tags: option.list({
    description:
      'Tags of every event; repeat the key for several (tags=a&tags=b), as kube-eventer.',
    split: false,
    default: ['heapster'],
  }),
  state: option.string({
    description:
      "kube-eventer's state option: accepted and ignored, as kube-eventer does (the state is ok for Normal events, warning otherwise).",
    default: '',
  }),
  tls: option.boolean({
    description:
      "Connect with TLS (Riemann's TLS listener); implied by tls:// or any of cacert, cert, key.",
    default: false,
  }),
  cacert: option.string({
    description: "Path of a PEM file with the CA that signed the server's certificate.",
    default: '',
  }),
  cert: option.string({
    description: 'Path of a PEM client certificate, for a server that asks for one.',
    default: '',
  }),
  key: option.string({ description: "Path of the client certificate's PEM key.", default: '' }),
  insecure: option.boolean({
    description: "TLS without checking the server's certificate (tests only).",
    default: false,
  }),
};
