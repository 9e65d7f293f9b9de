import { connect, createServer, type Server, type Socket } from 'node:net';

/** Frontend messages counted on the wire, in both directions unchanged. */
export interface PgWireCounts {
  /** Simple-protocol queries (`Q`) plus extended-protocol executes (`E`). */
  statements: number;
  /** Waits for the server: each `Q` and each `Sync` (`S`) ends one request-response exchange. */
  roundTrips: number;
}

export interface PgCountProxy {
  readonly port: number;
  counts(): PgWireCounts;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

/** Counts one connection's frontend messages; returns the bytes to forward unchanged. */
function frontendCounter(counts: PgWireCounts): (chunk: Buffer) => void {
  let buffered: Buffer = Buffer.alloc(0);
  let startup = true;
  return (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      if (startup) {
        // The startup packet (and an SSL/GSS request before it) has no type byte.
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const code = buffered.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) startup = false;
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1) + 1;
      if (buffered.length < length) return;
      const type = String.fromCharCode(buffered[0] ?? 0);
      if (type === 'Q') {
        counts.statements += 1;
        counts.roundTrips += 1;
      } else if (type === 'E') counts.statements += 1;
      else if (type === 'S') counts.roundTrips += 1;
      buffered = buffered.subarray(length);
    }
  };
}

/**
 * A loopback TCP proxy in front of PostgreSQL that counts statements and round trips of every
 * connection through it (the bench points a service's DATABASE_URL at it).
 */
export function startPgCountProxy(upstreamPort: number): Promise<PgCountProxy> {
  const counts: PgWireCounts = { statements: 0, roundTrips: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const count = frontendCounter(counts);
    client.on('data', (chunk: Buffer) => {
      count(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        counts: () => ({ ...counts }),
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

/** `url` with its port replaced by the proxy's. */
export function throughProxy(url: string, proxyPort: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxyPort);
  return parsed.toString();
}
