import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlStack } from './control';
import type { StackInfo } from './stack-info';

let server: Server;
const calls: string[] = [];
let stack: StackInfo;

beforeAll(async () => {
  server = createServer((request, response) => {
    calls.push(`${request.method ?? ''} ${request.url ?? ''}`);
    response
      .writeHead(request.url === '/aws/start' ? 500 : 204)
      .end(request.url === '/aws/start' ? 'boom' : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  stack = { controlUrl: `http://127.0.0.1:${port}` } as StackInfo;
});

afterAll(() => {
  server.close();
});

describe('controlStack', () => {
  it('posts the action to the control endpoint', async () => {
    await controlStack(stack, 'postgres', 'stop');
    expect(calls).toContain('POST /postgres/stop');
  });

  it('throws with the status and body when the action fails', async () => {
    await expect(controlStack(stack, 'aws', 'start')).rejects.toThrow(
      /aws\/start failed: 500 boom/,
    );
  });
});
