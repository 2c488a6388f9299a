import { connect as connectTcp, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import * as kit from '@keventer/core/kit';
import type { RiemannServer } from './endpoint.js';
import { type RiemannAnswer, readAnswer } from './proto.js';

/** kube-eventer's connect timeout. */
export const CONNECT_TIMEOUT_MS = 5000;
/** The largest answer read: an ok or an error string is a few bytes; more is not Riemann. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

interface Pending {
  resolve(answer: RiemannAnswer): void;
  reject(error: kit.SinkError): void;
}

/**
 * One TCP (or TLS) connection to Riemann, opened on first use and again
 * after it broke. Riemann answers the messages of a connection in order, so
 * sends are pipelined and each answer goes to the oldest waiting send.
 */
export class RiemannConnection {
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);

  constructor(
    private readonly sink: string,
    private readonly server: RiemannServer,
    private readonly tls: ConnectionOptions | undefined,
  ) {}

  /** Sends one framed message and resolves with Riemann's answer to it. */
  async send(frame: Buffer, signal: AbortSignal): Promise<RiemannAnswer> {
    signal.throwIfAborted();
    const socket = await this.#connect(signal);
    return new Promise<RiemannAnswer>((resolve, reject) => {
      const onAbort = () => {
        // The answer still comes, in turn: the entry stays so the next answer goes to the next send.
        entry.resolve = () => {};
        entry.reject = () => {};
        reject(kit.toSinkError(this.sink, signal.reason));
      };
      const entry: Pending = {
        resolve: (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.push(entry);
      socket.write(frame);
    });
  }

  /** Closes the connection; a send still waiting fails (retryable). */
  close(): Promise<void> {
    this.#drop(kit.retryableError(this.sink, 'the sink was closed'));
    return Promise.resolve();
  }

  #connect(signal: AbortSignal): Promise<Socket> {
    this.#ready ??= this.#open(signal);
    return this.#ready;
  }

  #open(signal: AbortSignal): Promise<Socket> {
    const { host, port } = this.server;
    return new Promise<Socket>((resolve, reject) => {
      const socket = this.tls
        ? connectTls({ host, port, servername: isIp(host) ? undefined : host, ...this.tls })
        : connectTcp({ host, port });
      const fail = (error: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        this.#ready = undefined;
        reject(kit.toSinkError(this.sink, error));
      };
      const onAbort = () => fail(signal.reason);
      const timer = setTimeout(
        () =>
          fail(new Error(`connecting to ${host}:${port} timed out after ${CONNECT_TIMEOUT_MS} ms`)),
        CONNECT_TIMEOUT_MS,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once(this.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('error', fail);
        socket.setNoDelay(true);
        this.#attach(socket);
        resolve(socket);
      });
    });
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', (error) => this.#drop(kit.toSinkError(this.sink, error), socket));
    socket.on('close', () =>
      this.#drop(
        kit.retryableError(this.sink, 'Riemann closed the connection before it answered'),
        socket,
      ),
    );
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 4) {
      const length = this.#buffer.readUInt32BE(0);
      if (length > MAX_ANSWER_BYTES) {
        const why = `the server answered a ${length}-byte message: it is not Riemann (check the port)`;
        this.#drop(kit.permanentError(this.sink, why));
        return;
      }
      if (this.#buffer.length < 4 + length) return;
      const body = this.#buffer.subarray(4, 4 + length);
      this.#buffer = this.#buffer.subarray(4 + length);
      const pending = this.#pending.shift();
      if (!pending) {
        const why = 'the server sent an answer to no message: it is not Riemann';
        this.#drop(kit.permanentError(this.sink, why));
        return;
      }
      try {
        pending.resolve(readAnswer(body));
      } catch {
        const why = 'the server answered bytes that are no Riemann message: check the port';
        pending.reject(kit.permanentError(this.sink, why));
        this.#drop(kit.retryableError(this.sink, why));
        return;
      }
    }
  }

  /** Forgets a broken connection: every waiting send fails with `error`; the next one reconnects. */
  #drop(error: kit.SinkError, socket = this.#socket): void {
    if (socket !== this.#socket) return;
    const pending = this.#pending;
    this.#pending = [];
    this.#socket = undefined;
    this.#ready = undefined;
    socket?.destroy();
    for (const entry of pending) entry.reject(error);
  }
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');
