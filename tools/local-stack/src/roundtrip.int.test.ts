import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { freePort } from './free-port';
import { startService, type RunningService } from './services';
import { startStack, type LocalStack } from './stack';

const WORKSPACE = resolve(import.meta.dirname, '../../..');
const RUNS = 40;
let stack: LocalStack;
let services: RunningService[] = [];
let pidDir = '';
let base = '';
let key = '';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 200));
  }
}

beforeAll(async () => {
  stack = await startStack({ fast: true });
  pidDir = await mkdtemp(join(tmpdir(), 'herald-roundtrip-'));
  const port = await freePort();
  const env = {
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    QUEUE_URL: stack.queueUrl,
    DLQ_URL: stack.dlqUrl,
    METADATA_TABLE: stack.metadataTable,
    ALERTS_TOPIC_ARN: stack.alertsTopicArn,
    HOST: '127.0.0.1',
    SHUTDOWN_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  };
  const write = () => undefined;
  services = await Promise.all([
    startService(
      WORKSPACE,
      pidDir,
      {
        name: 'ingest',
        entry: 'apps/ingest/src/main.ts',
        env: { ...env, PORT: String(port), DATABASE_URL: stack.readerDatabaseUrl },
      },
      write,
    ),
    startService(
      WORKSPACE,
      pidDir,
      {
        name: 'worker',
        entry: 'apps/worker/src/main.ts',
        env: {
          ...env,
          HEALTH_PORT: String(await freePort()),
          DATABASE_URL: stack.writerDatabaseUrl,
        },
      },
      write,
    ),
  ]);
  base = `http://127.0.0.1:${port}`;
  const owner = createPool({ connectionString: stack.databaseUrl, max: 1 });
  key = (
    await createApiKey(createDatabase(owner), {
      tenant: 'roundtrip',
      name: 'rt',
      scopes: ['messages:write', 'messages:read'],
    })
  ).key;
  await owner.end();
  await until(async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 60_000);
}, 180_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop(10_000)));
  await stack.stop();
  await rm(pidDir, { recursive: true, force: true });
}, 60_000);

/** Arbitrary JSON with the hostile corners: nulls, lone surrogates, extreme numbers, __proto__. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\ud800', 'a\udfffb', '😀', '__proto__', '\u0000'),
);
const hostileNumber = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(-0, 2 ** 64, 9007199254740993, 5e-324, 1.7976931348623157e308),
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.array(tie('json'), { maxLength: 6 }),
    fc.dictionary(fc.oneof(hostileString, fc.constant('__proto__')), tie('json'), { maxKeys: 6 }),
  ),
}));

/** JSON text for `value`, keeping what JSON.stringify cannot write (a __proto__ key, -0, 2^64 as written). */
function toText(value: unknown): string {
  if (typeof value === 'number')
    return Object.is(value, -0) ? '-0' : String(value).replace('Infinity', '1e400');
  if (typeof value === 'string' || value === null || typeof value === 'boolean')
    return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toText).join(',')}]`;
  return `{${Object.keys(value as object)
    .map((k) => `${JSON.stringify(k)}:${toText((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

describe('what the API acknowledges, the worker stores unchanged (invariant 6)', () => {
  it('ends every 202 as stored with an identical body; every refusal is a 4xx naming a path', async () => {
    await fc.assert(
      fc.asyncProperty(json, async (body) => {
        const text = `{"channel":"rt","body":${toText(body)}}`;
        const response = await fetch(`${base}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: text,
        });
        if (response.status !== 202) {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          const problem = (await response.json()) as { errors?: { path: string }[] };
          expect(problem.errors?.[0]?.path).toMatch(/^\/body/);
          return;
        }
        const { id } = (await response.json()) as { id: string };
        const stored = await until(async () => {
          const status = await fetch(`${base}/v1/messages/${id}`, {
            headers: { authorization: `Bearer ${key}` },
          });
          if (status.status !== 200) return undefined;
          return (await status.json()) as { status: string; message?: { body: unknown } };
        }, 30_000);
        expect(stored.status).toBe('stored');
        expect(stored.message?.body).toEqual((JSON.parse(text) as { body: unknown }).body);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 150_000 },
    );
  }, 200_000);
});
