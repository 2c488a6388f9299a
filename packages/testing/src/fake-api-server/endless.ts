import type { ServerResponse } from 'node:http';

/**
 * Writes `head`, then `piece` again and again for as long as the client reads
 * (waiting for 'drain' when the socket is full), or one `piece` every
 * `intervalMs` when given, until it disconnects or `stop` is called: a body,
 * or a line, that never ends.
 */
export function writeEndlessly(
  res: ServerResponse,
  head: string,
  piece: string,
  intervalMs?: number,
): () => void {
  let stopped = false;
  if (intervalMs !== undefined) {
    res.write(head);
    const timer = setInterval(() => res.destroyed || res.write(piece), intervalMs).unref();
    res.once('close', () => clearInterval(timer));
    return () => clearInterval(timer);
  }
  const block = piece.repeat(Math.max(1, Math.floor(16_384 / piece.length)));
  const pump = (): void => {
    while (!stopped && !res.destroyed && !res.writableEnded) {
      if (!res.write(block)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.once('close', () => {
    stopped = true;
  });
  res.write(head);
  pump();
  return () => {
    stopped = true;
  };
}
