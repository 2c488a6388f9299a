import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

/**
 * The ECS metadata service in its hardened mode: `PUT /latest/api/token`
 * with a TTL header (1 to 21600 s) issues a token; every GET must carry it,
 * or is refused with 403. Only the values given are known (404 otherwise).
 */
export class FakeEcsMetadata {
  url = '';
  gets = 0;
  private readonly tokens = new Set<string>();
  private readonly server: Server;

  /** Path to value; change it to serve another value (rotated credentials). */
  constructor(readonly values: Record<string, string>) {
    this.server = createServer((req, res) => {
      const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        if (!(ttl >= 1 && ttl <= 21_600)) return res.writeHead(400).end('invalid ttl');
        const token = randomUUID();
        this.tokens.add(token);
        return res.writeHead(200).end(token);
      }
      if (req.method !== 'GET') return res.writeHead(405).end();
      this.gets++;
      const token = String(req.headers['x-aliyun-ecs-metadata-token'] ?? '');
      if (!this.tokens.has(token)) return res.writeHead(403).end('Forbidden');
      const value = this.values[req.url ?? ''];
      if (value === undefined) return res.writeHead(404).end('Not Found');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(value);
    });
  }

  async start(): Promise<string> {
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
