// dynalite ships no types and an ambient declaration cannot be imported: the reference carries
// them to every project that type-checks this package through an import.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../types/dynalite.d.ts" />
import type { IncomingHttpHeaders, Server } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import dynalite from 'dynalite';
import { headerValue, type EdgeRequest } from '../http/edge-request';
import { jsonReply, type HttpReply } from '../http/reply';
import type { Logger } from '../logger';
import { TimeToLive } from './time-to-live';
import { SerialLock, Transactions } from './transactions';

/** DynamoDB behind the edge. */
export interface DynamoDbBackend {
  /** Answers a DynamoDB request whose body the edge has already read. */
  handle(request: EdgeRequest): Promise<HttpReply>;
  close(): Promise<void>;
}

interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// dynalite flips a new table to ACTIVE (and removes a deleted one) on a timer after answering,
// even with a 0 ms delay; these operations answer only once that has happened.
const TABLE_CHANGES = new Set(['CreateTable', 'UpdateTable', 'DeleteTable']);
const SETTLE_LIMIT_MS = 2_000;

// Item operations run one at a time, so a transaction's checks and writes see no other write
// between them (dynalite runs in this process: the cost is queueing, not parallelism lost).
const ITEM_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchGetItem',
  'BatchWriteItem',
  'Query',
  'Scan',
]);

// dynalite requires a SigV4-shaped Authorization header but never checks it.
const INTERNAL_HEADERS: IncomingHttpHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20200101T000000Z',
};

/**
 * Calls dynalite's request listener with a replay of the body (no socket: a client abort cannot
 * reach dynalite's stream handlers, which rethrow stream errors) and captures its answer.
 */
function invoke(server: Server, request: RawRequest): Promise<HttpReply> {
  return new Promise((resolve) => {
    const replay = Object.assign(Readable.from([request.body]), {
      headers: request.headers,
      method: request.method,
      url: request.url,
    });
    const headers: Record<string, string> = {};
    const capture = {
      statusCode: 200,
      contentType: 'application/x-amz-json-1.0',
      setHeader(name: string, value: string | number) {
        const key = name.toLowerCase();
        // The edge frames the body itself.
        if (key !== 'content-length' && key !== 'transfer-encoding') headers[key] = String(value);
      },
      end(body?: string) {
        resolve({ status: capture.statusCode, headers, body: body ?? '' });
      },
    };
    server.emit('request', replay, capture);
  });
}

function tableName(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const name = (parsed as { TableName?: unknown } | null)?.TableName;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

function isSettled(operation: string, describe: HttpReply): boolean {
  if (operation === 'DeleteTable') return describe.status !== 200;
  const table = (JSON.parse(describe.body) as { Table?: { TableStatus?: string } }).Table;
  return table?.TableStatus === 'ACTIVE' || describe.status !== 200;
}

async function waitForTable(server: Server, operation: string, name: string): Promise<void> {
  const body = Buffer.from(JSON.stringify({ TableName: name }));
  const headers = { ...INTERNAL_HEADERS, 'x-amz-target': 'DynamoDB_20120810.DescribeTable' };
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < deadline) {
    const describe = await invoke(server, { method: 'POST', url: '/', headers, body });
    if (isSettled(operation, describe)) return;
    await sleep(2);
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

function parseBody(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// Operations dynalite lacks, answered by the edge.
const EDGE_OPERATIONS = new Set([
  'UpdateTimeToLive',
  'DescribeTimeToLive',
  'TransactWriteItems',
  'TransactGetItems',
]);

/** How the DynamoDB backend runs. */
export interface DynaliteBackendOptions {
  /** Folder for the LevelDB files (and the TTL settings); in memory without one. */
  readonly path?: string;
  /** Milliseconds between two sweeps of expired TTL items. */
  readonly ttlSweepMs: number;
  readonly logger: Logger;
}

/**
 * DynamoDB served by an in-process dynalite (LevelDB at `path`, in memory without one), with
 * table changes complete by the time they are answered, and Time to Live added in front of it.
 */
export function createDynaliteBackend(options: DynaliteBackendOptions): DynamoDbBackend {
  const { path, logger } = options;
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const call = (operation: string, input: unknown) =>
    invoke(server, {
      method: 'POST',
      url: '/',
      headers: { ...INTERNAL_HEADERS, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body: Buffer.from(JSON.stringify(input)),
    });
  const lock = new SerialLock();
  const ttl = new TimeToLive((operation, input) => lock.run(() => call(operation, input)), path);
  const transactions = new Transactions(call);
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweeping
      .then(() => ttl.sweep(Math.floor(Date.now() / 1000)))
      .then((deleted) => {
        if (deleted > 0) logger.info('ttl sweep', { deleted });
      })
      .catch((error: unknown) => {
        logger.error('ttl sweep failed', { error });
      });
  }, options.ttlSweepMs);
  timer.unref();
  return {
    async handle(request) {
      const operation = headerValue(request.headers, 'x-amz-target')?.split('.')[1] ?? '';
      if (EDGE_OPERATIONS.has(operation)) {
        const input = parseBody(request.body);
        if (!input)
          return jsonReply(400, {
            __type: 'com.amazon.coral.service#SerializationException',
            message: 'The request body must be a JSON object.',
          });
        if (operation === 'UpdateTimeToLive') return ttl.update(input);
        if (operation === 'DescribeTimeToLive') return ttl.describe(input);
        if (operation === 'TransactWriteItems') return lock.run(() => transactions.write(input));
        return lock.run(() => transactions.get(input));
      }
      const url = `${request.url.pathname}${request.url.search}`;
      const forward = () => invoke(server, { ...request, url });
      const reply = await (ITEM_OPERATIONS.has(operation) ? lock.run(forward) : forward());
      const name = tableName(request.body);
      if (reply.status === 200 && TABLE_CHANGES.has(operation) && name !== undefined) {
        await waitForTable(server, operation, name);
        if (operation === 'DeleteTable') ttl.forget(name);
      }
      return reply;
    },
    async close() {
      clearInterval(timer);
      await sweeping;
      // dynalite closes its LevelDB only from server.close(), which Node refuses for a server that
      // never listened: bind an ephemeral loopback port for the moment of the close.
      await listen(server);
      await close(server);
    },
  };
}
