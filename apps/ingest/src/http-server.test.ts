import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LOAD_BALANCER } from '@herald/config';
import { postJson, testApp } from '../test/fakes';
import { startHttpServer } from './http-server';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function listen(headersTimeoutMs: number, requestTimeoutMs: number): Promise<number> {
  const { app } = testApp();
  const port = await new Promise<number>((resolve) => {
    server = startHttpServer({
      fetch: app.fetch,
      hostname: '127.0.0.1',
      port: 0,
      headersTimeoutMs,
      requestTimeoutMs,
      onListening: resolve,
    });
  });
  expect((server?.address() as AddressInfo).port).toBe(port);
  return port;
}

/** What the server sent until it closed the socket, and how long that took. */
function untilClosed(socket: Socket): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('close', () => {
      resolve({ text, ms: performance.now() - started });
    });
    socket.once('error', () => undefined);
  });
}

/** Writes one byte every `everyMs` until the socket closes. */
function drip(socket: Socket, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write('x');
  }, everyMs);
  return () => {
    clearInterval(timer);
  };
}

// Issue 9, defect 6: a dripping body held an authenticated connection for Node's default 300 s.
describe('request time bounds', () => {
  it('answers 408 and closes when a body drips past the request timeout', async () => {
    const port = await listen(1_000, 2_000);
    const socket = connect(port, '127.0.0.1');
    const closed = untilClosed(socket);
    const init = postJson('{"channel":"orders","body":"');
    const headers = Object.entries(init.headers as Record<string, string>)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nHost: i\r\n${headers}\r\nContent-Length: 100000\r\n\r\n`,
    );
    const stop = drip(socket, 100);
    const { text, ms } = await closed;
    stop();
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    // 2 s bound, checked every second: well under Node's 300 s default even on a loaded machine.
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  it('answers 408 and closes when headers drip past the headers timeout', async () => {
    const port = await listen(1_000, 60_000);
    const socket = connect(port, '127.0.0.1');
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: i\r\nX-Slow: ');
    const stop = drip(socket, 100);
    const { text, ms } = await closed;
    stop();
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  it('serves ordinary requests', async () => {
    const port = await listen(1_000, 2_000);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});

/** Resolves with the next data the socket receives, or '' when it closes first. */
function nextAnswer(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      socket.off('close', onClose);
      resolve(chunk.toString());
    };
    const onClose = () => {
      socket.off('data', onData);
      resolve('');
    };
    socket.once('data', onData);
    socket.once('close', onClose);
  });
}

// Node's default keep-alive (5 s) is below the ALB's idle timeout (60 s): the ALB reused sockets
// the task had closed and answered 502.
describe('keep-alive behind the load balancer', () => {
  it('keeps idle sockets open longer than the ALB does', async () => {
    await listen(1_000, 2_000);
    expect(server?.keepAliveTimeout).toBe(LOAD_BALANCER.targetKeepAliveSeconds * 1000);
    expect(LOAD_BALANCER.targetKeepAliveSeconds).toBeGreaterThan(LOAD_BALANCER.idleTimeoutSeconds);
  });

  it('answers a request on a socket idle past Node’s 5 s default and past the headers timeout', async () => {
    const port = await listen(1_000, 2_000);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const request = 'GET /healthz HTTP/1.1\r\nHost: i\r\n\r\n';
    const first = nextAnswer(socket);
    socket.write(request);
    expect(await first).toMatch(/^HTTP\/1\.1 200/);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = nextAnswer(socket);
    socket.write(request);
    expect(await second).toMatch(/^HTTP\/1\.1 200/);
    socket.destroy();
  }, 30_000);
});
