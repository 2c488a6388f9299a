import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { type DecodedEvent, decodeMsg, encodeAnswer } from './riemann-wire.js';

/** Riemann's TCP server refuses frames over this (its default max frame length, 256 MiB, scaled down). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * A strict local Riemann TCP (or TLS) server: reads 4-byte big-endian
 * length-prefixed protobuf Msgs, decodes them with its own reader
 * (riemann-wire.ts), stores the events and answers each message in order with
 * `ok: true`, or `ok: false` and an error (a message it cannot decode, or one
 * it was told to refuse). It can also refuse connections, or drop a
 * connection in the middle of a message or before answering one.
 */
export class FakeRiemann {
  /** Events stored, in arrival order. */
  readonly events: DecodedEvent[] = [];
  /** Events per message received and stored. */
  readonly messages: number[] = [];
  /** Connections accepted so far. */
  connections = 0;
  /** Errors to answer the next messages with, instead of storing them (undefined: store that one). */
  readonly refuseNext: Array<string | undefined> = [];
  /** Drop the next connection that sends: 'mid-message' before the message is whole, 'before-answer' after storing it. */
  dropNext: 'mid-message' | 'before-answer' | undefined;
  /** Hold answers until this resolves (an overloaded server). */
  hold: Promise<void> | undefined;
  port = 0;
  private server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly tls?: TlsOptions) {
    this.server = this.create();
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.address;
  }

  /** Stops listening and cuts every connection: connects are refused until `start()` again. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = this.create();
  }

  /** Listens again on the same port. */
  restart(): Promise<string> {
    return this.start(this.port);
  }

  private create(): Server {
    const onSocket = (socket: Socket) => this.serve(socket);
    return this.tls ? createTlsServer(this.tls, onSocket) : createServer(onSocket);
  }

  private serve(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    // Answers go out in order, one message after the other.
    let answered = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (this.dropNext === 'mid-message') {
        this.dropNext = undefined;
        socket.destroy();
        return;
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length > MAX_FRAME_BYTES) {
          socket.destroy();
          return;
        }
        if (buffer.length < 4 + length) return;
        const body = buffer.subarray(4, 4 + length);
        buffer = buffer.subarray(4 + length);
        const answer = this.handle(body);
        if (this.dropNext === 'before-answer') {
          this.dropNext = undefined;
          socket.destroy();
          return;
        }
        const hold = this.hold;
        answered = answered.then(async () => {
          await hold;
          const frame = Buffer.alloc(4);
          frame.writeUInt32BE(answer.length, 0);
          socket.write(Buffer.concat([frame, answer]));
        });
      }
    });
  }

  private handle(body: Buffer): Buffer {
    let events: DecodedEvent[];
    try {
      events = decodeMsg(body);
    } catch (error) {
      return encodeAnswer(`invalid message: ${(error as Error).message}`);
    }
    const refused = this.refuseNext.shift();
    if (refused !== undefined) return encodeAnswer(refused);
    this.events.push(...events);
    this.messages.push(events.length);
    return encodeAnswer();
  }
}

/** An event's attributes as a record. */
export const attributesOf = (event: DecodedEvent): Record<string, string | undefined> =>
  Object.fromEntries(event.attributes.map((a) => [a.key, a.value]));
