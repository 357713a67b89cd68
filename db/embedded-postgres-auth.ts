import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The embedded database's TCP front: PGlite's socket server accepts any user and password, so it listens only on a
 * Unix socket in a private directory, and clients reach it through this server, which asks for the password with
 * SCRAM-SHA-256 (what PostgreSQL itself asks by default; pg and every driver speak it) and only then hands the
 * connection over. The password never crosses the socket, so a process listening on the port first learns nothing.
 */

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const SCRAM_ITERATIONS = 4096;
/** Startup packets are a few hundred bytes; a longer one is not a PostgreSQL client. */
const MAX_HANDSHAKE_MESSAGE = 10_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface PasswordFront {
  server: Server;
  stop(): Promise<void>;
}

/** Listens on `host:port` and forwards each connection that proves it knows `password` to the Unix socket `backend`. */
export async function startPasswordFront(options: { host: string; port: number; password: string; backend: string }): Promise<PasswordFront> {
  const salt = randomBytes(16);
  const saltedPassword = pbkdf2Sync(options.password.normalize('NFKC'), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const scram = { salt, saltedPassword, storedKey: sha256(hmac(saltedPassword, 'Client Key')), serverKey: hmac(saltedPassword, 'Server Key') };
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.setTimeout(HANDSHAKE_TIMEOUT_MS, () => client.destroy());
    handshake(client, scram).then(
      (forwarded) => {
        if (!forwarded) return client.end();
        client.setTimeout(0);
        const backend = connect(options.backend);
        open.add(backend);
        backend.once('close', () => open.delete(backend));
        backend.write(forwarded);
        backend.on('error', () => client.destroy());
        client.on('close', () => backend.destroy());
        backend.on('close', () => client.destroy());
        client.pipe(backend);
        backend.pipe(client);
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Scram {
  salt: Buffer;
  saltedPassword: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** The bytes to send the backend (the startup message and anything after it), or undefined when refused. */
async function handshake(client: Socket, scram: Scram): Promise<Buffer | undefined> {
  const inbox = new Inbox(client);
  let startup: Buffer;
  for (;;) {
    const length = (await inbox.read(4)).readInt32BE(0);
    if (length < 8 || length > MAX_HANDSHAKE_MESSAGE) return undefined;
    const body = await inbox.read(length - 4);
    const code = body.readInt32BE(0);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      client.write('N');
      continue;
    }
    // A CancelRequest is closed unanswered: PGlite has no backend process a cancel could signal.
    if (code !== PROTOCOL_3) return undefined;
    startup = Buffer.concat([int32(length), body]);
    break;
  }
  const user = startupParameters(startup).get('user') ?? '';
  client.write(authentication(10, Buffer.from('SCRAM-SHA-256\0\0')));

  const initial = await inbox.message('p');
  const mechanismEnd = initial.indexOf(0);
  if (initial.subarray(0, mechanismEnd).toString() !== 'SCRAM-SHA-256') return refuse(client, user);
  const clientFirst = initial.subarray(mechanismEnd + 5).toString();
  const clientFirstBare = clientFirst.replace(/^[ny],,/, '');
  const clientNonce = /(?:^|,)r=([^,]+)/.exec(clientFirstBare)?.[1];
  if (!clientFirst.startsWith('n,,') || !clientNonce) return refuse(client, user);
  const nonce = clientNonce + randomBytes(18).toString('base64');
  const serverFirst = `r=${nonce},s=${scram.salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
  client.write(authentication(11, Buffer.from(serverFirst)));

  const clientFinal = (await inbox.message('p')).toString();
  const match = /^(c=biws,r=([^,]+)),p=([A-Za-z0-9+/=]+)$/.exec(clientFinal);
  if (!match || match[2] !== nonce) return refuse(client, user);
  const authMessage = `${clientFirstBare},${serverFirst},${match[1]}`;
  const proof = Buffer.from(match[3], 'base64');
  const clientKey = xor(proof, hmac(scram.storedKey, authMessage));
  if (proof.length !== 32 || !timingSafeEqual(sha256(clientKey), scram.storedKey)) return refuse(client, user);
  client.write(authentication(12, Buffer.from(`v=${hmac(scram.serverKey, authMessage).toString('base64')}`)));
  // PGlite answers the startup message with AuthenticationOk and the session's parameters, as a server would.
  return Buffer.concat([startup, inbox.release()]);
}

function refuse(client: Socket, user: string): undefined {
  const fields = [['S', 'FATAL'], ['V', 'FATAL'], ['C', '28P01'], ['M', `password authentication failed for user "${user}"`]];
  const body = Buffer.concat([...fields.map(([code, text]) => Buffer.from(`${code}${text}\0`)), Buffer.from([0])]);
  client.write(Buffer.concat([Buffer.from('E'), int32(body.length + 4), body]));
  return undefined;
}

function startupParameters(startup: Buffer): Map<string, string> {
  const parts = startup.subarray(8).toString().split('\0');
  const parameters = new Map<string, string>();
  for (let index = 0; index + 1 < parts.length; index += 2) if (parts[index]) parameters.set(parts[index], parts[index + 1]);
  return parameters;
}

function authentication(kind: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from('R'), int32(8 + data.length), int32(kind), data]);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((byte, index) => byte ^ (b[index] ?? 0)));

/** Reads a socket's bytes on demand during the handshake, then gives back what arrived beyond it. */
class Inbox {
  private buffer = Buffer.alloc(0);
  private wake?: () => void;
  private closed = false;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };
  private readonly onClose = () => {
    this.closed = true;
    this.wake?.();
  };

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
  }

  async read(length: number): Promise<Buffer> {
    while (this.buffer.length < length) {
      if (this.closed) throw new Error('the client closed the connection during the handshake');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const taken = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return taken;
  }

  /** A typed message's body; anything but the expected type ends the handshake. */
  async message(type: string): Promise<Buffer> {
    const header = await this.read(5);
    const length = header.readInt32BE(1);
    if (String.fromCharCode(header[0]) !== type || length < 4 || length > MAX_HANDSHAKE_MESSAGE) throw new Error(`expected a ${type} message`);
    return this.read(length - 4);
  }

  release(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.pause();
    return this.buffer;
  }
}
