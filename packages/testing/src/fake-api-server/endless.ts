import type { ServerResponse } from 'node:http';

/**
 * Writes `head`, then `piece` again and again for as long as the client reads
 * (waiting for 'drain' when the socket is full), until it disconnects or
 * `stop` is called: a body, or a line, that never ends.
 */
export function writeEndlessly(res: ServerResponse, head: string, piece: string): () => void {
  let stopped = false;
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
