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
    const onTimeout = vi.fn();
    const drained = drain({
      server,
      lifecycle,
      logger: captureLogger().logger,
      delayMs: 0,
      budgetMs: 5_000,
      flushQueue: () => {
        order.push('flushed');
        return Promise.resolve();
      },
      closeClients: () => {
        order.push('clients closed');
        return Promise.resolve();
      },
      onTimeout,
    });
    expect(lifecycle.draining).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release?.();
    expect(await inFlight).toBe('ok');
    await drained;
    expect(order).toEqual(['request finished', 'flushed', 'clients closed']);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('forces the exit when the budget runs out', async () => {
    const onTimeout = vi.fn();
    const server = { close: vi.fn(), closeIdleConnections: vi.fn(), closeAllConnections: vi.fn() };
    void drain({
      server,
      lifecycle: new Lifecycle(),
      logger: captureLogger().logger,
      delayMs: 0,
      budgetMs: 30,
      flushQueue: () => Promise.resolve(),
      closeClients: () => Promise.resolve(),
      onTimeout,
    });
    await vi.waitFor(() => {
      expect(onTimeout).toHaveBeenCalledTimes(1);
    });
    expect(server.closeAllConnections).toHaveBeenCalled();
  });
});
