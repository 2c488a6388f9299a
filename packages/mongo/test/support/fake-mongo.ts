import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { Binary, BSON, type Document } from 'bson';
import { ScramConversation } from './scram.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** A fault the next commands of `name` answer with instead of running. */
export interface Fault {
  readonly code: number;
  readonly codeName: string;
  readonly errmsg?: string;
  /** How many commands it answers; every one when unset. */
  times?: number;
}

/** What a server knows of one client connection: who it authenticated as. */
interface Session {
  user?: string;
  scram?: { conversation: ScramConversation; user: string; skipEmptyExchange: boolean };
  scramDone?: boolean;
}

/** Commands a connection may run before it authenticates. */
const OPEN_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'ping',
  'endSessions',
]);

/**
 * A standalone MongoDB server, small and strict: the handshake (the driver's
 * first isMaster comes as OP_QUERY, the rest as OP_MSG), hello, ping, insert
 * (unordered or ordered, `_id` unique per collection, a real server's
 * writeErrors) and endSessions; any other command gets CommandNotFound (59).
 * With `users`, auth is on as a real server's: SCRAM-SHA-256 through
 * saslStart/saslContinue (users of the admin database), and an insert on a
 * connection that has not authenticated is Unauthorized (13); a wrong password
 * is AuthenticationFailed (18). No checksums, no compression.
 */
export class FakeMongo {
  /** Documents by "db.collection". */
  readonly collections = new Map<string, Map<string, Document>>();
  /** Every command run, in order, by name. */
  readonly commands: string[] = [];
  /** Faults by command name (insert, ping...). */
  readonly faults = new Map<string, Fault>();
  /** A per-document refusal (a validator's 121, say): the write error a document gets, if any. */
  refuse: (doc: Document) => { code: number; errmsg: string } | undefined = () => undefined;
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly users: ReadonlyMap<string, string> | undefined,
  ) {}

  /** `users`: user name to password, in the admin database; auth is off without them. */
  static async start(options: { users?: Record<string, string> } = {}): Promise<FakeMongo> {
    const server = createServer();
    const users = options.users ? new Map(Object.entries(options.users)) : undefined;
    const fake = new FakeMongo(server, users);
    server.on('connection', (socket) => fake.#accept(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `mongodb://127.0.0.1:${address.port}/?directConnection=true&heartbeatFrequencyMS=500`;
  }

  /** The documents of `db.collection`. */
  documents(namespace = 'k8s.event'): Document[] {
    return [...(this.collections.get(namespace)?.values() ?? [])];
  }

  /** Inserts: their count (the driver's handshake, hellos and pings not counted). */
  get inserts(): number {
    return this.commands.filter((c) => c === 'insert').length;
  }

  /** Closes every client connection (a lost connection, a restart). */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  get openConnections(): number {
    return this.#sockets.size;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session: Session = {};
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0);
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        const reply = this.#answer(message, session);
        if (reply) socket.write(reply);
      }
    });
  }

  #answer(message: Buffer, session: Session): Buffer | undefined {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) return opReply(requestId, this.#run(readOpQuery(message), session));
    if (opCode === OP_MSG) return opMsg(requestId, this.#run(readOpMsg(message), session));
    throw new Error(`the fake speaks OP_MSG and the handshake's OP_QUERY, not opcode ${opCode}`);
  }

  #run(command: Document, session: Session): Document {
    const name = Object.keys(command)[0] ?? '';
    this.commands.push(name);
    if (this.users && session.user === undefined && !OPEN_COMMANDS.has(name))
      return {
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: `Command ${name} requires authentication`,
      };
    const fault = this.faults.get(name);
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) this.faults.delete(name);
      return {
        ok: 0,
        code: fault.code,
        codeName: fault.codeName,
        errmsg: fault.errmsg ?? fault.codeName,
      };
    }
    switch (name) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return { ...hello(command), ...this.#mechanisms(command) };
      case 'saslStart':
        return this.#saslStart(command, session);
      case 'saslContinue':
        return this.#saslContinue(command, session);
      case 'ping':
      case 'endSessions':
        return { ok: 1 };
      case 'insert':
        return this.#insert(command);
      default:
        return {
          ok: 0,
          code: 59,
          codeName: 'CommandNotFound',
          errmsg: `no such command: '${name}'`,
        };
    }
  }

  /** A hello naming a user (`saslSupportedMechs: 'admin.<user>'`) learns its mechanisms. */
  #mechanisms(command: Document): Document {
    const named = command.saslSupportedMechs;
    if (!this.users || typeof named !== 'string') return {};
    const user = named.startsWith('admin.') ? named.slice('admin.'.length) : undefined;
    return user !== undefined && this.users.has(user)
      ? { saslSupportedMechs: ['SCRAM-SHA-256'] }
      : {};
  }

  #saslStart(command: Document, session: Session): Document {
    if (!this.users) return authFailed();
    if (command.mechanism !== 'SCRAM-SHA-256')
      return {
        ok: 0,
        code: 2,
        codeName: 'BadValue',
        errmsg: `Received authentication for mechanism ${String(command.mechanism)} which is unknown or not enabled`,
      };
    const conversation = new ScramConversation(this.users);
    const first = conversation.first(payloadText(command.payload));
    if ('error' in first || command.$db !== 'admin') return authFailed();
    const skipEmptyExchange = (command.options as Document | undefined)?.skipEmptyExchange === true;
    session.scram = { conversation, user: first.user, skipEmptyExchange };
    session.scramDone = false;
    return { conversationId: 1, done: false, payload: binary(first.reply), ok: 1 };
  }

  #saslContinue(command: Document, session: Session): Document {
    const scram = session.scram;
    if (!scram || command.conversationId !== 1) return authFailed();
    if (session.scramDone) {
      // The empty exchange of a client that did not ask to skip it.
      session.scram = undefined;
      return { conversationId: 1, done: true, payload: binary(''), ok: 1 };
    }
    const final = scram.conversation.final(scram.user, payloadText(command.payload));
    if ('error' in final) {
      session.scram = undefined;
      return authFailed();
    }
    session.user = scram.user;
    session.scramDone = true;
    if (scram.skipEmptyExchange) session.scram = undefined;
    return {
      conversationId: 1,
      done: scram.skipEmptyExchange,
      payload: binary(final.reply),
      ok: 1,
    };
  }

  #insert(command: Document): Document {
    const namespace = `${String(command.$db)}.${String(command.insert)}`;
    const documents = (command.documents ?? []) as Document[];
    const ordered = command.ordered !== false;
    const stored = this.collections.get(namespace) ?? new Map<string, Document>();
    this.collections.set(namespace, stored);
    const writeErrors: Document[] = [];
    let n = 0;
    for (const [index, doc] of documents.entries()) {
      const key = JSON.stringify(doc._id);
      const refusal = this.refuse(doc);
      if (refusal) {
        writeErrors.push({ index, ...refusal });
        if (ordered) break;
        continue;
      }
      if (stored.has(key)) {
        writeErrors.push({
          index,
          code: 11000,
          errmsg: `E11000 duplicate key error collection: ${namespace} index: _id_ dup key: { _id: ${key} }`,
        });
        if (ordered) break;
        continue;
      }
      stored.set(key, doc);
      n++;
    }
    return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  }
}

const authFailed = (): Document => ({
  ok: 0,
  code: 18,
  codeName: 'AuthenticationFailed',
  errmsg: 'Authentication failed.',
});

const binary = (text: string) => new Binary(Buffer.from(text, 'utf8'));

function payloadText(payload: unknown): string {
  if (payload instanceof Binary)
    return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  return '';
}

function hello(command: Document): Document {
  return {
    helloOk: command.helloOk === true ? true : undefined,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

/** An OP_MSG's command: its kind-0 body, with each kind-1 sequence as an array field. */
function readOpMsg(message: Buffer): Document {
  const flags = message.readUInt32LE(16);
  const end = message.length - (flags & 1 ? 4 : 0);
  let at = 20;
  let body: Document = {};
  const sequences: Record<string, Document[]> = {};
  while (at < end) {
    const kind = message[at++];
    if (kind === 0) {
      const size = message.readInt32LE(at);
      body = BSON.deserialize(message.subarray(at, at + size));
      at += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(at);
      const sectionEnd = at + size;
      const nul = message.indexOf(0, at + 4);
      const id = message.toString('utf8', at + 4, nul);
      let p = nul + 1;
      const docs: Document[] = [];
      while (p < sectionEnd) {
        const docSize = message.readInt32LE(p);
        docs.push(BSON.deserialize(message.subarray(p, p + docSize)));
        p += docSize;
      }
      sequences[id] = docs;
      at = sectionEnd;
    } else {
      throw new Error(`OP_MSG section kind ${kind} is not one a server knows`);
    }
  }
  return { ...body, ...sequences };
}

/** The driver's first handshake: OP_QUERY on admin.$cmd. */
function readOpQuery(message: Buffer): Document {
  const nul = message.indexOf(0, 20);
  const at = nul + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(at);
  return BSON.deserialize(message.subarray(at, at + size));
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(0, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(responseTo: number, reply: Document): Buffer {
  const body = BSON.serialize(reply, { ignoreUndefined: true });
  const head = Buffer.alloc(5); // flagBits 0, then a kind-0 section
  return Buffer.concat([header(16 + 5 + body.length, responseTo, OP_MSG), head, body]);
}

function opReply(responseTo: number, reply: Document): Buffer {
  const body = BSON.serialize(reply, { ignoreUndefined: true });
  const fields = Buffer.alloc(20); // responseFlags, cursorID, startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fields, body]);
}
