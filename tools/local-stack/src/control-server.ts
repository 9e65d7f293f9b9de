import { createServer, type Server } from 'node:http';
import type { LocalStack } from './stack';

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A loopback endpoint through which integration tests stop and start parts of the stack
 * (the stack lives in the vitest global-setup process, not in the test workers):
 * `POST /postgres/stop|start`, `POST /aws/stop|start`.
 */
export async function startControlServer(stack: LocalStack): Promise<ControlServer> {
  const actions: Record<string, () => Promise<void>> = {
    'postgres/stop': () => stack.postgres.stop(),
    'postgres/start': () => stack.postgres.start(),
    'aws/stop': () => stack.restartAws('stop'),
    'aws/start': () => stack.restartAws('start'),
  };
  // One action at a time: a stop racing a start would leave the stack in an unknown state.
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((request, response) => {
    const action =
      request.method === 'POST' ? actions[(request.url ?? '').replace(/^\//, '')] : undefined;
    if (!action) {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`unknown control action ${request.method ?? ''} ${request.url ?? ''}`);
      return;
    }
    const run = queue.then(action);
    queue = run.catch(() => undefined);
    run.then(
      () => response.writeHead(204).end(),
      (error: unknown) =>
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
