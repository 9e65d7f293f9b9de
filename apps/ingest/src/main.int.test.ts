import '@herald/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { SHUTDOWN } from '@herald/config';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { receiveEnvelopes, stackSqs } from '../test/stack-app';

const stack = inject('stack');
const WORKSPACE = resolve(import.meta.dirname, '../../..');
const sqs = stackSqs(stack);

afterAll(() => {
  sqs.destroy();
});

/** The variables main.ts needs against the test stack, with `overrides`. */
function stackEnv(overrides: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    QUEUE_URL: stack.queueUrl,
    METADATA_TABLE: stack.metadataTable,
    DATABASE_URL: stack.readerDatabaseUrl,
    ...overrides,
  };
}

/** Starts main.ts as the local stack does, resolving once it listens. */
function startIngest(env: Record<string, string>): Promise<{
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}> {
  // One process, as the local stack runs it: the signal reaches main.ts itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/ingest/src/main.ts'], {
    cwd: WORKSPACE,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      fail(new Error('ingest did not start'));
    }, 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'ingest listening') {
        clearTimeout(timer);
        done({ child, port: Number(entry.port), lines, exited });
      }
    });
  });
}

describe('main.ts under the local stack', () => {
  it('serves, then on SIGTERM finishes in-flight requests, flushes and exits 0 within the budget', async () => {
    const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
    const { key } = await createApiKey(createDatabase(pool), {
      tenant: `main-${randomUUID().slice(0, 8)}`,
      name: 'main',
      scopes: ['messages:write'],
    });
    await pool.end();
    const ingest = await startIngest(stackEnv({ SHUTDOWN_DELAY_MS: '300', BATCH_LINGER_MS: '50' }));
    const base = `http://127.0.0.1:${ingest.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const post = (i: number): Promise<{ status: number; body: { id?: string } }> =>
      fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'drain', body: i }),
      })
        .then(async (response) => ({
          status: response.status,
          body: (await response.json()) as { id?: string },
        }))
        .catch(() => ({ status: 0, body: {} }));
    // Requests still lingering in the batcher when SIGTERM arrives must be answered and enqueued.
    const inFlight = Array.from({ length: 20 }, (_, i) => post(i));
    await new Promise((done) => setTimeout(done, 20));
    const started = Date.now();
    ingest.child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    const code = await ingest.exited;

    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(SHUTDOWN.drainBudgetSeconds * 1000);
    const accepted = results
      .filter((result) => result.status === 202)
      .map((result) => result.body.id ?? '');
    expect(accepted.length).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 202 || result.status === 0)).toBe(true);
    expect((await receiveEnvelopes(sqs, stack.queueUrl, accepted)).size).toBe(accepted.length);
    expect(ingest.lines.find((line) => line.msg === 'ingest stopped')).toMatchObject({
      clean: true,
    });
    const stopped = ingest.lines.find((line) => line.msg === 'ingest usage') as
      { metrics?: { messagesEnqueued: number; sqsRequests: number } } | undefined;
    expect(stopped?.metrics?.messagesEnqueued).toBe(accepted.length);
    expect(stopped?.metrics?.sqsRequests).toBeLessThan(accepted.length);
  }, 60_000);

  // docs/conventions.md#shutdown: a second signal means it, in both services.
  it('exits 1 at once on a second signal, without waiting out the shutdown delay', async () => {
    const ingest = await startIngest(stackEnv({ SHUTDOWN_DELAY_MS: '60000' }));
    try {
      ingest.child.kill('SIGTERM');
      await vi.waitFor(
        () => {
          expect(ingest.lines.some((line) => /shutting down/.test(String(line.msg)))).toBe(true);
        },
        { timeout: 10_000 },
      );
      ingest.child.kill('SIGINT');
      expect(await ingest.exited).toBe(1);
      expect(ingest.lines.at(-1)).toMatchObject({ msg: 'second signal: exiting now' });
    } finally {
      // A failed run must not leave a process waiting out its delay.
      if (ingest.child.exitCode === null) ingest.child.kill('SIGKILL');
    }
  }, 40_000);

  it('refuses to start on a bad variable, naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/ingest/src/main.ts'], {
      cwd: WORKSPACE,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'x',
        QUEUE_URL: 'not a url',
        METADATA_TABLE: 't',
        DATABASE_URL: 'postgres://h/d',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    // docs/conventions.md#configuration: a bad configuration exits 2, a runtime failure 1.
    expect(code).toBe(2);
    expect(stderr).toMatch(/QUEUE_URL: expected an http\(s\) URL/);
  }, 30_000);
});
