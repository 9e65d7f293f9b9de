import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SHUTDOWN } from '@herald/config';
import { captureLogger, testApp } from '../test/fakes';
import { loadConfig } from './config';
import { drain } from './shutdown';

const SOCKETS = 20;
const REQUEST = 'GET /healthz HTTP/1.1\r\nHost: ingest\r\nConnection: keep-alive\r\n\r\n';

/** Reads from `socket` until `done` says the text so far is complete, or the socket ends. */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const finish = () => {
      socket.off('data', onData);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (done(text)) finish();
    };
    socket.on('data', onData);
    socket.once('close', finish);
    socket.once('error', finish);
  });
}

const responseComplete = (text: string) => /\r\n\r\n[\s\S]*"ok"/.test(text);

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** The real HTTP server over the app, with SOCKETS idle keep-alive sockets that served once. */
async function idleKeepAliveSockets() {
  const target = testApp();
  const listening = serve({ fetch: target.app.fetch, hostname: '127.0.0.1', port: 0 });
  server = listening as Server;
  await new Promise<void>((resolve) => {
    if (listening.listening) resolve();
    else
      listening.once('listening', () => {
        resolve();
      });
  });
  const { port } = listening.address() as AddressInfo;
  const sockets = await Promise.all(
    Array.from({ length: SOCKETS }, async () => {
      const socket = connect(port, '127.0.0.1');
      socket.write(REQUEST);
      expect(await readUntil(socket, responseComplete)).toMatch(/^HTTP\/1\.1 200/);
      return socket;
    }),
  );
  return { target, server: listening as Server, sockets };
}

function startDrain(
  server: Server,
  lifecycle: ReturnType<typeof testApp>['lifecycle'],
  delayMs: number,
) {
  return drain({
    server,
    lifecycle,
    logger: captureLogger().logger,
    delayMs,
    deadline: Date.now() + delayMs + 5_000,
    flushQueue: () => Promise.resolve(),
    closeClients: () => Promise.resolve(),
  });
}

// Issue 9, defect 5: behind the ALB a request can arrive on an idle keep-alive socket right
// after SIGTERM; with no delay the socket was closed under it and the request reset.
describe('SIGTERM with idle keep-alive sockets', () => {
  it('waits the ALB deregistration delay by default', () => {
    const config = loadConfig({
      AWS_REGION: 'eu-west-1',
      QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      METADATA_TABLE: 'herald-test',
      DATABASE_URL: 'postgres://u:p@db:5432/herald',
    });
    expect(config.SHUTDOWN_DELAY_MS).toBe(SHUTDOWN.loadBalancerDeregistrationSeconds * 1000);
    expect(config.SHUTDOWN_DELAY_MS).toBeGreaterThan(0);
  });

  it(`answers a request on each of ${SOCKETS} idle sockets during the delay, with Connection: close, then drains`, async () => {
    const { target, server, sockets } = await idleKeepAliveSockets();
    const drained = startDrain(server, target.lifecycle, 1_000);
    const answers = await Promise.all(
      sockets.map((socket) => {
        const answer = readUntil(socket, () => false); // until the server closes the socket
        socket.write(REQUEST);
        return answer;
      }),
    );
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.toLowerCase()).toContain('connection: close');
    }
    await drained;
    expect(server.listening).toBe(false);
  });

  it('without the delay the same requests get no answer (why the default is not 0)', async () => {
    const { target, server, sockets } = await idleKeepAliveSockets();
    const drained = startDrain(server, target.lifecycle, 0);
    const answers = await Promise.all(
      sockets.map((socket) => {
        const answer = readUntil(socket, () => false);
        socket.write(REQUEST);
        return answer;
      }),
    );
    expect(answers.filter((answer) => answer.startsWith('HTTP/1.1 200'))).toEqual([]);
    await drained;
  });
});
