import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drip, httpRequest, sendRaw } from './raw-http';

let http: Server;
let silent: TcpServer;
let closer: TcpServer;
const portOf = (server: Server | TcpServer) => {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

beforeAll(async () => {
  http = createServer((request, response) => {
    let length = 0;
    request.on('data', (chunk: Buffer) => (length += chunk.length));
    request.on('end', () => {
      if (request.url === '/chunked') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('hello ');
        response.end('world');
        return;
      }
      response
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ length }));
    });
  });
  silent = createTcpServer(() => undefined);
  closer = createTcpServer((socket) => socket.destroy());
  await Promise.all(
    [http, silent, closer].map(
      (server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    ),
  );
});

afterAll(() => {
  http.close();
  silent.close();
  closer.close();
});

describe('sendRaw', () => {
  it('sends the bytes as given and parses the answer', async () => {
    const outcome = await sendRaw(
      portOf(http),
      httpRequest({ method: 'POST', path: '/', body: 'abc' }),
      5_000,
    );
    expect(outcome).toMatchObject({ kind: 'response', status: 202, body: '{"length":3}' });
  });

  it('decodes a chunked answer', async () => {
    const outcome = await sendRaw(
      portOf(http),
      httpRequest({ method: 'GET', path: '/chunked' }),
      5_000,
    );
    expect(outcome).toMatchObject({ kind: 'response', status: 200, body: 'hello world' });
  });

  it('tells a closed connection from a held one', async () => {
    expect((await sendRaw(portOf(closer), Buffer.from('GET / HTTP/1.1\r\n\r\n'), 5_000)).kind).toBe(
      'closed',
    );
    const held = await sendRaw(
      portOf(silent),
      drip(Buffer.from('POST / HTTP/1.1\r\n'), Buffer.from('xxxx'), 100, 1_000),
      500,
    );
    expect(held.kind).toBe('timeout');
  });
});
