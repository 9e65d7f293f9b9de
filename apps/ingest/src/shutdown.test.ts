import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../test/fakes';
import { Lifecycle } from './lifecycle';
import { drain } from './shutdown';

describe('drain', () => {
  it('turns readiness off, lets an in-flight request finish, then flushes and closes in order', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const server = createServer((_request, response) => {
      // What the access-log middleware does while draining: the client will not reuse the socket.
      release = () => {
        order.push('request finished');
        response.setHeader('connection', 'close');
        response.end('ok');
      };
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    const inFlight = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then(
      (response) => response.text(),
    );
    await vi.waitFor(() => {
      expect(release).toBeDefined();
    });
    const lifecycle = new Lifecycle();
    const drained = drain({
      server,
      lifecycle,
      logger: captureLogger().logger,
      delayMs: 0,
      deadline: Date.now() + 5_000,
      flushQueue: () => {
        order.push('flushed');
        return Promise.resolve();
      },
      closeClients: () => {
        order.push('clients closed');
        return Promise.resolve();
      },
    });
    expect(lifecycle.draining).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release?.();
    expect(await inFlight).toBe('ok');
    expect(await drained).toBe(true);
    expect(order).toEqual(['request finished', 'flushed', 'clients closed']);
  });

  it('cuts the connections still open at the deadline, then flushes and reports false', async () => {
    let closed: (() => void) | undefined;
    const order: string[] = [];
    const server = {
      // close() waits for the open connections, which only closeAllConnections ends.
      close: vi.fn((callback: () => void) => {
        closed = callback;
        return server;
      }),
      closeIdleConnections: vi.fn(),
      closeAllConnections: vi.fn(() => {
        order.push('connections cut');
        closed?.();
      }),
    };
    const drained = await drain({
      server: server as unknown as Parameters<typeof drain>[0]['server'],
      lifecycle: new Lifecycle(),
      logger: captureLogger().logger,
      delayMs: 0,
      deadline: Date.now() + 30,
      flushQueue: () => {
        order.push('flushed');
        return Promise.resolve();
      },
      closeClients: () => Promise.resolve(),
    });
    expect(drained).toBe(false);
    expect(order).toEqual(['connections cut', 'flushed']);
  });
});
