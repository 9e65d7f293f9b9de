/**
 * The real production bundles: each app is bundled, only its output is copied into an empty
 * folder, and it runs there with plain `node` against the real local stack — what the
 * container image does (images cannot be built on machines without a Docker engine).
 */
import '@herald/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { newMessageId, serializeEnvelope } from '@herald/contracts';
import { freePort } from '@herald/local-stack';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { APP_BUNDLES, type AppName } from './apps';
import { bundleApp } from './bundle';

const ROOT = resolve(import.meta.dirname, '../../..');
const stack = inject('stack');
const work = mkdtempSync(join(tmpdir(), 'herald-app-bundles-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function bundleIntoEmptyFolder(app: AppName): Promise<string> {
  const dist = join(work, app, 'dist');
  await bundleApp(APP_BUNDLES[app], { root: ROOT, outdir: dist });
  const runDir = join(work, app, 'empty');
  cpSync(dist, runDir, { recursive: true });
  return runDir;
}

function run(cwd: string, file: string, env: Record<string, string>) {
  const output: string[] = [];
  // A clean environment: nothing from this workspace leaks in but what the task definition sets.
  const child = spawn(process.execPath, [file], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  children.push(child);
  return { child, output };
}

async function waitHealthy(url: string, output: string[]): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${url} never became healthy:\n${output.join('')}`);
}

const awsEnv = {
  AWS_REGION: stack.region,
  AWS_ENDPOINT_URL: stack.awsEndpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  METADATA_TABLE: stack.metadataTable,
  QUEUE_URL: stack.queueUrl,
  LOG_LEVEL: 'warn',
};

describe('production bundles from an empty folder', () => {
  it('ingest: main.js serves /healthz and /readyz and drains on SIGTERM', async () => {
    const dir = await bundleIntoEmptyFolder('ingest');
    expect(readdirSync(dir)).not.toContain('node_modules');
    const port = await freePort();
    const { child, output } = run(dir, 'main.js', {
      ...awsEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: stack.readerDatabaseUrl,
      // The production default waits the ALB's deregistration delay (30 s) before draining.
      SHUTDOWN_DELAY_MS: '0',
    });
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, output);
    await waitHealthy(`http://127.0.0.1:${port}/readyz`, output);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('worker: migrate.js applies the copied migrations, and main.js consumes and drains on SIGTERM', async () => {
    const dir = await bundleIntoEmptyFolder('worker');
    expect(readdirSync(dir)).toEqual(
      expect.arrayContaining(['main.js', 'migrate.js', 'migrations']),
    );
    const migrate = run(dir, 'migrate.js', {
      DATABASE_URL: stack.databaseUrl,
      MIGRATIONS_DIR: join(dir, 'migrations'),
      LOG_LEVEL: 'warn',
    });
    const [migrateCode] = (await once(migrate.child, 'exit')) as [number | null];
    expect(migrateCode, migrate.output.join('')).toBe(0);

    const port = await freePort();
    const { child, output } = run(dir, 'main.js', {
      ...awsEnv,
      DLQ_URL: stack.dlqUrl,
      ALERTS_TOPIC_ARN: stack.alertsTopicArn,
      DATABASE_URL: stack.writerDatabaseUrl,
      HEALTH_PORT: String(port),
      HOST: '127.0.0.1',
    });
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, output);

    const id = newMessageId();
    const sqs = new SQSClient({
      endpoint: stack.awsEndpoint,
      region: stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrl,
        MessageBody: serializeEnvelope({
          v: 1,
          id,
          tenant: 'bundle-test',
          channel: 'bundles',
          body: 'from the bundle',
          attributes: {},
          priority: 'normal',
          acceptedAt: new Date().toISOString(),
          trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        }),
      }),
    );
    sqs.destroy();
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      let stored = 0;
      for (
        const deadline = Date.now() + 30_000;
        stored === 0 && Date.now() < deadline;
        await new Promise((done) => setTimeout(done, 200))
      ) {
        stored = (await db.query('select 1 from messages where id = $1', [id])).rowCount ?? 0;
      }
      expect(stored, output.join('')).toBe(1);
    } finally {
      await db.end();
    }

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output.join('')).toBe(0);
  });
});
