import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { HeraldApiError, type HeraldClient } from '@herald/client';
import type { MessageStatusResponse } from '@herald/contracts';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import type { StackInfo } from '@herald/testing';

const WORKSPACE = resolve(import.meta.dirname, '../../..');

/** The ingest and the worker, run from source against the test stack, and a key of a fresh tenant. */
export interface HeraldServices {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly tenant: string;
  /** The last log lines of both services, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

interface Child {
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * Starts `apps/ingest/src/main.ts` and `apps/worker/src/main.ts` as child processes, as the
 * local stack does (`node --import tsx`): a tool may run the apps, never import them.
 */
export async function startHeraldServices(
  stack: StackInfo,
  ingestEnv: Record<string, string> = {},
): Promise<HeraldServices> {
  const tenant = `cli-${randomUUID().slice(0, 8)}`;
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  const { key } = await createApiKey(createDatabase(pool), {
    tenant,
    name: 'cli-int',
    scopes: ['messages:write', 'messages:read'],
  }).finally(() => pool.end());
  const aws = {
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    QUEUE_URL: stack.queueUrl,
    METADATA_TABLE: stack.metadataTable,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  const logs: string[] = [];
  const started: ChildProcess[] = [];
  try {
    const ingest = await startChild('apps/ingest/src/main.ts', 'ingest listening', logs, started, {
      ...aws,
      PORT: '0',
      DATABASE_URL: stack.readerDatabaseUrl,
      SHUTDOWN_DELAY_MS: '0',
      ...ingestEnv,
    });
    await startChild('apps/worker/src/main.ts', 'worker started', logs, started, {
      ...aws,
      DLQ_URL: stack.dlqUrl,
      ALERTS_TOPIC_ARN: stack.alertsTopicArn,
      DATABASE_URL: stack.writerDatabaseUrl,
      HEALTH_PORT: '0',
      WAIT_TIME_SECONDS: '1',
    });
    return {
      apiUrl: `http://127.0.0.1:${ingest.port}`,
      apiKey: key,
      tenant,
      logs: () => logs.slice(-40).join('\n'),
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw new Error(`services did not start:\n${logs.slice(-40).join('\n')}`, { cause: error });
  }
}

function startChild(
  entry: string,
  readyMessage: string,
  logs: string[],
  started: ChildProcess[],
  env: Record<string, string>,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: WORKSPACE,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const name = entry.split('/')[1] ?? entry;
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`${entry} did not log "${readyMessage}" within 60 s`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${entry} exited with ${String(code)}`));
    });
    createInterface({ input: child.stderr }).on('line', (line) => logs.push(`${name}! ${line}`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entryLine: { msg?: string; port?: number };
      try {
        entryLine = JSON.parse(line) as { msg?: string; port?: number };
      } catch {
        logs.push(`${name}| ${line}`);
        return;
      }
      if (entryLine.msg !== 'request') logs.push(`${name}| ${line}`);
      if (entryLine.msg === readyMessage) {
        clearTimeout(timer);
        done({ child, port: entryLine.port ?? 0 });
      }
    });
  });
}

async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Polls `get(id)` until the worker has stored the message (404 until then). */
export async function untilStored(
  client: HeraldClient,
  id: string,
  timeoutMs = 60_000,
): Promise<MessageStatusResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const status = await client.get(id);
      if (status.status === 'stored') return status;
    } catch (error) {
      if (!(error instanceof HeraldApiError && error.code === 'not_found')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`message ${id} not stored within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
