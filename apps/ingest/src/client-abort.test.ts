import { connect } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEYS, postJson, testApp } from '../test/fakes';
import { startHttpServer } from './http-server';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

// Issue 9, defect 8: a client that hung up mid-body was logged as an unhandled error, status 500,
// and fed the error metrics.
describe('a client that disconnects mid-body', () => {
  it.each([
    ['with a Content-Length', 'Content-Length: 5000\r\n'],
    ['chunked', 'Transfer-Encoding: chunked\r\n'],
  ])('%s is logged as a client abort, not a server error', async (_name, framing) => {
    const { app, lines, queue } = testApp();
    const port = await new Promise<number>((resolve) => {
      server = startHttpServer({
        fetch: app.fetch,
        hostname: '127.0.0.1',
        port: 0,
        headersTimeoutMs: 5_000,
        requestTimeoutMs: 10_000,
        onListening: resolve,
      });
    });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const body = '{"channel":"orders","body":"';
    const chunk = framing.startsWith('Transfer')
      ? `${body.length.toString(16)}\r\n${body}\r\n`
      : body;
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nHost: i\r\nAuthorization: Bearer ${KEYS.writer}\r\nContent-Type: application/json\r\n${framing}\r\n${chunk}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await vi.waitFor(
      () => {
        expect(lines.some((line) => line.msg === 'request')).toBe(true);
      },
      { timeout: 10_000 },
    );
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    const aborted = lines.find((line) => line.msg === 'client aborted the request');
    const request = lines.find((line) => line.msg === 'request');
    // Both lines name the request (the error line through requestLogger).
    expect(aborted?.requestId).toBe(request?.requestId);
    expect(typeof request?.requestId).toBe('string');
    expect(request?.status).toBeLessThan(500);
    expect(queue.sent).toEqual([]);
  });

  it('answers an in-process stream that fails mid-body with 400, not 500', async () => {
    const { app, lines } = testApp();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"channel":'));
        controller.error(new Error('aborted'));
      },
    });
    const init = postJson('');
    const response = await app.request(
      new Request('http://ingest/v1/messages', { ...init, body: stream, duplex: 'half' }),
    );
    expect(response.status).toBe(400);
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
