/**
 * Ingest throughput against a bare Hono hello-world on the same machine.
 *
 *   npm run bench:ingest -w @herald/bench        (or: npx tsx tools/bench/src/ingest-bench.ts)
 *
 * Starts a local stack (or uses the one described by BENCH_* variables), provisions a key, runs
 * the ingest from source in its own process (one per scenario, so its SQS counters are per
 * scenario), loads single-message and batch POSTs at fixed concurrency on 127.0.0.1 for a
 * bounded time, and prints req/s, messages/s, p50/p99, the ratios to hello-world and the SQS
 * requests per message the ingest counted.
 *
 * Tunables: BENCH_DURATION_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_BATCH_SIZE (10),
 * BENCH_LOG_LEVEL (info: the access log is part of the cost). To use a running stack instead of
 * starting one: BENCH_AWS_ENDPOINT, BENCH_QUEUE_URL, BENCH_METADATA_TABLE, BENCH_DATABASE_URL
 * (owner, to provision the key), BENCH_READER_DATABASE_URL, BENCH_REGION.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, createPool, ensureApiKey } from '@herald/db';
import { startStack } from '@herald/local-stack';
import { runLoad, type LoadResult } from './ingest-load';
import { startServerProcess } from './ingest-processes';
import { benchInt } from './bench-env';

const WORKSPACE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const env = process.env;
const DURATION = benchInt(env, 'BENCH_DURATION_SECONDS', 10, 1, 60);
const CONNECTIONS = benchInt(env, 'BENCH_CONNECTIONS', 32, 1, 256);
const BATCH_SIZE = benchInt(env, 'BENCH_BATCH_SIZE', 10, 1, 100);
const WARMUP_SECONDS = 2;
const BENCH_KEY = 'hk_bench_0123456789abcdefghijklmnopqrstuvwxyz';

interface Target {
  region: string;
  awsEndpoint: string;
  queueUrl: string;
  metadataTable: string;
  databaseUrl: string;
  readerDatabaseUrl: string;
  stop(): Promise<void>;
}

async function target(): Promise<Target> {
  if (env.BENCH_QUEUE_URL) {
    const need = (name: string) => {
      const value = env[name];
      if (!value) throw new Error(`${name} is required with BENCH_QUEUE_URL`);
      return value;
    };
    return {
      region: env.BENCH_REGION ?? 'us-east-1',
      awsEndpoint: need('BENCH_AWS_ENDPOINT'),
      queueUrl: need('BENCH_QUEUE_URL'),
      metadataTable: need('BENCH_METADATA_TABLE'),
      databaseUrl: need('BENCH_DATABASE_URL'),
      readerDatabaseUrl: need('BENCH_READER_DATABASE_URL'),
      stop: () => Promise.resolve(),
    };
  }
  console.log('starting a local stack…');
  // Durable PostgreSQL by default, as in production; BENCH_FAST=1 trades fsync for speed.
  return startStack({ fast: env.BENCH_FAST === '1', nameSuffix: 'bench' });
}

interface Scenario {
  name: string;
  path: string;
  body: string;
  messagesPerRequest: number;
}

interface Row extends LoadResult {
  name: string;
  messagesPerSecond: number;
  sqsRequestsPerMessage?: number;
}

async function runIngestScenario(stack: Target, scenario: Scenario): Promise<Row> {
  const ingest = await startServerProcess(
    WORKSPACE,
    'apps/ingest/src/main.ts',
    {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'info',
      AWS_REGION: stack.region,
      AWS_ENDPOINT_URL: stack.awsEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      QUEUE_URL: stack.queueUrl,
      METADATA_TABLE: stack.metadataTable,
      DATABASE_URL: stack.readerDatabaseUrl,
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
    },
    'ingest listening',
  );
  try {
    const load = {
      url: `http://127.0.0.1:${ingest.port}${scenario.path}`,
      connections: CONNECTIONS,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
      body: scenario.body,
    };
    // Warm up first: tsx compiles modules and the AWS SDK loads its parts on first use. The SQS
    // counters include the warm-up, which runs at the same concurrency.
    await runLoad({ ...load, durationSeconds: WARMUP_SECONDS });
    const result = await runLoad({ ...load, durationSeconds: DURATION });
    const stopped = (await ingest.stop('ingest stopped')) as
      { metrics?: { sqsRequestsPerMessage: number } } | undefined;
    return {
      ...result,
      name: scenario.name,
      messagesPerSecond: result.requestsPerSecond * scenario.messagesPerRequest,
      ...(stopped?.metrics ? { sqsRequestsPerMessage: stopped.metrics.sqsRequestsPerMessage } : {}),
    };
  } catch (error) {
    await ingest.stop();
    throw error;
  }
}

async function runHello(): Promise<Row> {
  const hello = await startServerProcess(
    WORKSPACE,
    'tools/bench/src/ingest-hello-server.ts',
    {},
    'hello listening',
  );
  try {
    const load = {
      url: `http://127.0.0.1:${hello.port}/`,
      connections: CONNECTIONS,
      headers: { 'content-type': 'application/json' },
      body: message(0),
    };
    await runLoad({ ...load, durationSeconds: WARMUP_SECONDS });
    const result = await runLoad({ ...load, durationSeconds: DURATION });
    return { ...result, name: 'hello-world', messagesPerSecond: result.requestsPerSecond };
  } finally {
    await hello.stop();
  }
}

function message(i: number): string {
  return JSON.stringify({
    channel: 'bench',
    body: { orderId: i, total: 99.5, items: ['a', 'b'] },
    attributes: { region: 'eu-west-1' },
  });
}

function print(rows: Row[]): void {
  const hello = rows.find((row) => row.name === 'hello-world');
  const ratio = (value: number, base: number | undefined) =>
    base ? (value / base).toFixed(3) : '-';
  const line = (cells: string[]) => {
    console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(18) : cell.padStart(13))).join(' '));
  };
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION} s per scenario, batch size ${BATCH_SIZE}\n`,
  );
  line([
    'scenario',
    'req/s',
    'msg/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'req vs hello',
    'msg vs hello',
    'SQS req/msg',
  ]);
  for (const row of rows) {
    line([
      row.name,
      row.requestsPerSecond.toFixed(0),
      row.messagesPerSecond.toFixed(0),
      String(row.p50Ms),
      String(row.p99Ms),
      String(row.non2xx),
      String(row.errors),
      ratio(row.requestsPerSecond, hello?.requestsPerSecond),
      ratio(row.messagesPerSecond, hello?.messagesPerSecond),
      row.sqsRequestsPerMessage?.toFixed(3) ?? '-',
    ]);
  }
}

async function main(): Promise<void> {
  const stack = await target();
  try {
    const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
    await ensureApiKey(createDatabase(pool), {
      tenant: 'bench',
      name: 'bench',
      scopes: ['messages:write'],
      secret: BENCH_KEY,
    }).finally(() => pool.end());
    const rows: Row[] = [await runHello()];
    rows.push(
      await runIngestScenario(stack, {
        name: 'ingest single',
        path: '/v1/messages',
        body: message(1),
        messagesPerRequest: 1,
      }),
    );
    const batch = JSON.stringify({
      messages: Array.from({ length: BATCH_SIZE }, (_, i) => JSON.parse(message(i)) as unknown),
    });
    rows.push(
      await runIngestScenario(stack, {
        name: `ingest batch×${BATCH_SIZE}`,
        path: '/v1/messages/batch',
        body: batch,
        messagesPerRequest: BATCH_SIZE,
      }),
    );
    print(rows);
    const out = resolve(WORKSPACE, 'reports/bench/ingest-bench.json');
    await mkdir(resolve(out, '..'), { recursive: true });
    await writeFile(
      out,
      JSON.stringify(
        { connections: CONNECTIONS, durationSeconds: DURATION, batchSize: BATCH_SIZE, rows },
        null,
        2,
      ),
    );
    console.log(`\nwritten to ${out}`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
