/**
 * The production images, built here with podman and run as their ECS task definitions say,
 * against the local stack: the deploy rehearsal and the end-to-end test of what ships.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_IMAGES, buildImages, type BuildReport } from '../src/build-images';
import { containerEnvironment, runContainer } from '../src/run-container';
import {
  containerNamed,
  loadTargets,
  WORKSPACE_ROOT,
  type ContainerSpec,
} from '../src/task-definitions';
import {
  alertedIds,
  awsClients,
  containerName,
  queueDepth,
  removeStarted,
  statusOf,
  stopContainer,
  untilHealthy,
  waitUntil,
} from './support';

const stack = inject('stack');
const clients = awsClients(stack);
const pool = createPool({ connectionString: stack.databaseUrl, max: 2 });
const tenant = `images-${randomUUID().slice(0, 8)}`;
let build: BuildReport;
let key = '';
const figures: Record<string, unknown> = {};

const imageOf = (spec: ContainerSpec) => APP_IMAGES[spec.dockerfile as keyof typeof APP_IMAGES];

/** Starts a service container detached; returns its name and ms from start to healthy. */
async function startService(spec: ContainerSpec, role = spec.name) {
  const name = containerName(role);
  const since = Date.now();
  runContainer(spec, {
    image: imageOf(spec),
    name,
    env: containerEnvironment(spec, stack),
    detach: true,
  });
  return { name, healthyMs: await untilHealthy(name, since) };
}

beforeAll(async () => {
  build = await buildImages((line) => {
    if (process.env.HERALD_IMAGES_VERBOSE) console.log(line);
  });
  const created = await createApiKey(createDatabase(pool), {
    tenant,
    name: 'images e2e',
    scopes: ['messages:write', 'messages:read'],
  });
  key = created.key;
}, 45 * 60_000);

afterAll(async () => {
  removeStarted();
  await pool.end();
  clients.sqs.destroy();
  clients.dynamo.destroy();
  await mkdir(join(WORKSPACE_ROOT, 'reports'), { recursive: true });
  await writeFile(
    join(WORKSPACE_ROOT, 'reports/images.json'),
    `${JSON.stringify({ build, ...figures }, null, 2)}\n`,
  );
  console.log(
    [
      `base ${build.base.tag}: ${(build.base.sizeBytes / 1e6).toFixed(0)} MB, ${build.base.cached ? 'cached' : `built in ${String(build.base.buildMs)} ms`}`,
      ...build.images.map(
        (image) =>
          `${image.tag}: ${(image.sizeBytes / 1e6).toFixed(0)} MB, built in ${String(image.buildMs)} ms`,
      ),
      ...Object.entries(figures).map(([name, value]) => `${name}: ${JSON.stringify(value)}`),
    ].join('\n'),
  );
});

describe('the migration task', () => {
  it('runs its command from the worker image and migrates a fresh local database', async () => {
    const spec = containerNamed('migrate');
    expect(spec.dockerfile).toBe('apps/worker/Dockerfile');
    const database = `herald_migrate_${randomUUID().slice(0, 8)}`;
    await pool.query(`create database ${database}`);
    const output = runContainer(spec, {
      image: imageOf(spec),
      name: containerName('migrate'),
      env: { ...containerEnvironment(spec, stack), DATABASE_NAME: database },
      detach: false,
    });
    expect(output).toBeDefined();
    const url = new URL(stack.databaseUrl);
    url.pathname = `/${database}`;
    const migrated = new pg.Client({ connectionString: url.toString() });
    await migrated.connect();
    try {
      const { rows } = await migrated.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['messages', 'channel_stats']),
      );
    } finally {
      await migrated.end();
    }
  });
});

describe('ingest and worker containers', () => {
  let ingest = { name: '', healthyMs: 0 };
  let worker = { name: '', healthyMs: 0 };
  const ingestSpec = () => containerNamed('ingest');
  const workerSpec = () => containerNamed('worker');

  it('agree with the load balancer on the port, and become healthy by their own checks', async () => {
    const [target] = loadTargets().filter((entry) => entry.containerName === 'ingest');
    const env = containerEnvironment(ingestSpec(), stack);
    expect(target?.containerPort).toBe(target?.targetGroupPort);
    expect(ingestSpec().containerPorts).toEqual([target?.containerPort]);
    expect(env.PORT).toBe(String(target?.containerPort));
    [ingest, worker] = await Promise.all([startService(ingestSpec()), startService(workerSpec())]);
    figures.startToHealthyMs = { ingest: ingest.healthyMs, worker: worker.healthyMs };
    const ready = await fetch(`http://127.0.0.1:${env.PORT}${target?.healthCheckPath ?? '/'}`);
    expect(ready.status).toBe(200);
  });

  it('carry a critical message to both stores and raise its alert', async () => {
    const base = `http://127.0.0.1:${containerEnvironment(ingestSpec(), stack).PORT}`;
    const response = await fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'images', body: 'shipped', priority: 'critical' }),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await waitUntil(
      'stored in DynamoDB',
      async () => (await statusOf(clients.dynamo, stack, tenant, id)) === 'stored',
    );
    const { rows } = await pool.query('select id from messages where tenant = $1 and id = $2', [
      tenant,
      id,
    ]);
    expect(rows).toHaveLength(1);
    await waitUntil('the alert', async () => (await alertedIds(stack)).includes(id));
  });

  it('exit 0 on SIGTERM inside the stop timeout, losing nothing acknowledged', async () => {
    const base = `http://127.0.0.1:${containerEnvironment(ingestSpec(), stack).PORT}`;
    const accepted: string[] = [];
    const posts = Array.from({ length: 40 }, (_, i) =>
      fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'drain', body: i }),
      }).then(
        async (answer) => {
          if (answer.status === 202) accepted.push(((await answer.json()) as { id: string }).id);
        },
        () => undefined,
      ),
    );
    // SIGTERM while requests are in flight: the ingest must finish them and flush its batcher.
    await new Promise((done) => setTimeout(done, 50));
    const stops = await Promise.all([
      stopContainer(ingest.name, ingestSpec().stopTimeout),
      stopContainer(worker.name, workerSpec().stopTimeout),
    ]);
    await Promise.all(posts);
    figures.stopMs = { ingest: stops[0].ms, worker: stops[1].ms };
    expect(
      stops.map((stop) => stop.exitCode),
      stops.map((stop) => stop.logs).join('\n'),
    ).toEqual([0, 0]);
    expect(stops[0].ms).toBeLessThan(ingestSpec().stopTimeout * 1000);
    expect(stops[1].ms).toBeLessThan(workerSpec().stopTimeout * 1000);
    expect(accepted.length).toBeGreaterThan(0);
    // Whatever the worker did not store is still queued: a new worker stores all of it.
    const restarted = await startService(workerSpec(), 'worker-again');
    await waitUntil(
      'every acknowledged message stored',
      async () => {
        const { rows } = await pool.query<{ id: string }>(
          "select id from messages where tenant = $1 and channel = 'drain'",
          [tenant],
        );
        return accepted.every((id) => rows.some((row) => row.id === id));
      },
      90_000,
    );
    await waitUntil(
      'the queue to drain',
      async () => (await queueDepth(clients.sqs, stack.queueUrl)) === 0,
    );
    expect((await stopContainer(restarted.name, workerSpec().stopTimeout)).exitCode).toBe(0);
  });
});
