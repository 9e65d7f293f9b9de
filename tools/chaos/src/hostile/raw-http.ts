import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What came back for one raw request. */
export type RawOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
      readonly ms: number;
    }
  /** The server closed (or reset) the connection without a parseable response. */
  | { readonly kind: 'closed'; readonly ms: number; readonly detail: string }
  /** Nothing came back within the bound and the connection was still open. */
  | { readonly kind: 'timeout'; readonly ms: number };

/** Bytes to write, or a function that writes them over time (dripping bodies, aborts). */
export type RawRequest = Buffer | ((socket: Socket) => Promise<void>);

/**
 * Sends bytes exactly as given (header injection, invalid UTF-8, lying lengths: what an HTTP
 * client library refuses to send) and reads the answer until the server closes.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs: number): Promise<RawOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const finish = (detail: string) => {
      const parsed = parseResponse(Buffer.concat(chunks));
      done(
        parsed
          ? { kind: 'response', ...parsed, ms: Date.now() - started }
          : { kind: 'closed', ms: Date.now() - started, detail },
      );
    };
    const timer = setTimeout(() => {
      const parsed = parseResponse(Buffer.concat(chunks));
      done(
        parsed
          ? { kind: 'response', ...parsed, ms: Date.now() - started }
          : { kind: 'timeout', ms: Date.now() - started },
      );
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      finish('closed');
    });
    socket.on('close', () => {
      finish('closed');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(error.code ?? error.message);
    });
    socket.once('connect', () => {
      const write = typeof request === 'function' ? request(socket) : writeAll(socket, request);
      // A server that answers early (413) and closes makes the rest of the write fail: expected.
      write.catch(() => undefined);
    });
  });
}

async function writeAll(socket: Socket, bytes: Buffer): Promise<void> {
  const CHUNK = 64 * 1024;
  for (let offset = 0; offset < bytes.length && !socket.destroyed; offset += CHUNK) {
    if (!socket.write(bytes.subarray(offset, offset + CHUNK)))
      await new Promise((done) => {
        socket.once('drain', done);
        socket.once('close', done);
      });
  }
}

/** Writes `bytes` one small piece at a time, `everyMs` apart, for at most `forMs`. */
export function drip(head: Buffer, bytes: Buffer, everyMs: number, forMs: number): RawRequest {
  return async (socket) => {
    socket.write(head);
    const until = Date.now() + forMs;
    for (
      let offset = 0;
      offset < bytes.length && Date.now() < until && !socket.destroyed;
      offset += 1
    ) {
      socket.write(bytes.subarray(offset, offset + 1));
      await sleep(everyMs);
    }
  };
}

/** Writes the head and part of the body, then resets the connection (a client gone mid-body). */
export function abortMidBody(head: Buffer, partial: Buffer): RawRequest {
  return async (socket) => {
    socket.write(Buffer.concat([head, partial]));
    await sleep(200);
    socket.resetAndDestroy();
  };
}

function parseResponse(
  raw: Buffer,
): { status: number; headers: Record<string, string>; body: string } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  return { status: Number(match[1]), headers, body: body.toString('utf8') };
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** An HTTP/1.1 request as bytes, with Host, Connection: close and a correct Content-Length. */
export function httpRequest(parts: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Header lines appended verbatim (injection cases). */
  rawHeaderLines?: string[];
}): Buffer {
  const body =
    parts.body === undefined
      ? undefined
      : Buffer.isBuffer(parts.body)
        ? parts.body
        : Buffer.from(parts.body, 'utf8');
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    connection: 'close',
    ...parts.headers,
  };
  if (
    body !== undefined &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined
  )
    headers['content-length'] = String(body.length);
  const lines = [
    `${parts.method} ${parts.path} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(parts.rawHeaderLines ?? []),
  ];
  return Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
    body ?? Buffer.alloc(0),
  ]);
}
