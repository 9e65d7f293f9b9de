import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startPgCountProxy, throughProxy, type PgCountProxy } from './pg-count-proxy';

/** A frontend message: type byte, int32 length (including itself), payload. */
function message(type: string, payload = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

function startup(code: number): Buffer {
  const packet = Buffer.alloc(8);
  packet.writeInt32BE(8, 0);
  packet.writeInt32BE(code, 4);
  return packet;
}

let upstream: Server | undefined;
let proxy: PgCountProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((done) => {
    if (upstream)
      upstream.close(() => {
        done();
      });
    else done();
  });
});

async function through(chunks: Buffer[]): Promise<{ received: Buffer; proxy: PgCountProxy }> {
  let received = Buffer.alloc(0);
  const got = new Promise<void>((resolve) => {
    upstream = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= Buffer.concat(chunks).length) resolve();
      });
    });
  });
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  const address = upstream?.address();
  proxy = await startPgCountProxy(typeof address === 'object' && address ? address.port : 0);
  const client: Socket = connect(proxy.port, '127.0.0.1');
  // Split across writes (and mid-message) as TCP may.
  const all = Buffer.concat(chunks);
  client.write(all.subarray(0, 7));
  client.write(all.subarray(7));
  await got;
  client.destroy();
  return { received, proxy };
}

describe('startPgCountProxy', () => {
  it('forwards the bytes unchanged and counts statements and round trips', async () => {
    const query = Buffer.from('select 1\0');
    const chunks = [
      startup(80877103), // SSLRequest, then the real startup packet
      startup(196608),
      message('Q', query),
      message('P', Buffer.from('\0insert\0\0\0')),
      message('B', Buffer.alloc(6)),
      message('E', Buffer.alloc(5)),
      message('S'),
      message('E', Buffer.alloc(5)),
      message('S'),
    ];
    const { received, proxy: counting } = await through(chunks);
    expect(received.equals(Buffer.concat(chunks))).toBe(true);
    expect(counting.counts()).toEqual({ statements: 3, roundTrips: 3 });
  });
});

describe('throughProxy', () => {
  it('keeps the credentials and database, and swaps the port', () => {
    expect(throughProxy('postgres://u:p@127.0.0.1:5432/herald', 6000)).toBe(
      'postgres://u:p@127.0.0.1:6000/herald',
    );
  });
});
