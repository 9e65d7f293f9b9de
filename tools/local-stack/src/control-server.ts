import { createServer, type Server } from 'node:http';
import type { LocalStack } from './stack';

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The fault actions, as `POST /<action>` paths (also listed by `GET /`). */
export const CONTROL_ACTIONS = [
  'postgres/stop',
  'postgres/start',
  'aws/stop',
  'aws/start',
] as const;

/**
 * A loopback endpoint through which integration tests (and `npm start -- --fault-controls`)
 * stop and start parts of the stack (the stack lives in the vitest global-setup or launcher
 * process, not in the caller): `POST /postgres/stop|start`, `POST /aws/stop|start`; `GET /`
 * lists them.
 * @param port 0 (the default) picks a free one.
 */
export async function startControlServer(stack: LocalStack, port = 0): Promise<ControlServer> {
  const actions: Record<(typeof CONTROL_ACTIONS)[number], () => Promise<void>> = {
    'postgres/stop': () => stack.postgres.stop(),
    'postgres/start': () => stack.postgres.start(),
    'aws/stop': () => stack.restartAws('stop'),
    'aws/start': () => stack.restartAws('start'),
  };
  // One action at a time: a stop racing a start would leave the stack in an unknown state.
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(CONTROL_ACTIONS.map((name) => `POST /${name}`).join('\n') + '\n');
      return;
    }
    const name = (request.url ?? '').replace(/^\//, '');
    const action =
      request.method === 'POST' && Object.hasOwn(actions, name)
        ? actions[name as keyof typeof actions]
        : undefined;
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
