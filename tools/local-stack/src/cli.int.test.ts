import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port';

const CLI = resolve(import.meta.dirname, 'cli.ts');
const API_KEY = 'hk_dev_e2e_0123456789abcdefghijklmnop';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}

let child: ChildProcess | undefined;
let dataDir = '';

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('runs the whole system, carries a message end to end, and Ctrl-C leaves nothing behind', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'herald-e2e-'));
    const ports = {
      aws: await freePort(),
      postgres: await freePort(),
      ingest: await freePort(),
      worker: await freePort(),
    };
    const args = [
      '--aws-port',
      ports.aws,
      '--postgres-port',
      ports.postgres,
      '--ingest-port',
      ports.ingest,
      '--worker-health-port',
      ports.worker,
      '--data-dir',
      dataDir,
    ].map(String);
    const started = Date.now();
    child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, HERALD_DEV_API_KEY: API_KEY, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can send Ctrl-C the way a terminal does: to the group.
      detached: true,
    });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => lines.push(line));
    }
    const exited = new Promise<number | null>((done) => child?.once('exit', done));
    await waitFor(
      'the stack summary',
      () =>
        Promise.resolve(
          lines.some((line) => line.includes('Ctrl-C stops everything')) ? true : undefined,
        ),
      120_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.slice(-40).join('\n')}`);
    });
    const readyLine = lines.find((line) => line.includes('stack ready in'));
    console.log(`${readyLine ?? ''} (wall clock to summary: ${Date.now() - started} ms)`);

    const ingest = `http://127.0.0.1:${ports.ingest}`;
    await waitFor(
      'ingest readiness',
      async () => ((await fetch(`${ingest}/readyz`)).ok ? true : undefined),
      60_000,
    );
    const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
    const posted = await fetch(`${ingest}/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel: 'e2e', body: { hello: 'world' }, priority: 'critical' }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };

    const status = await waitFor(
      'the message to be stored',
      async () => {
        const response = await fetch(`${ingest}/v1/messages/${id}`, { headers });
        const body = (await response.json()) as { status?: string; message?: { body: unknown } };
        return body.status === 'stored' ? body : undefined;
      },
      60_000,
    );
    expect(status.message?.body).toEqual({ hello: 'world' });
    await waitFor(
      'the critical alert in the mailbox',
      async () => {
        const mail = await (await fetch(`http://127.0.0.1:${ports.aws}/_herald/mailbox`)).text();
        return mail.includes(id) ? true : undefined;
      },
      30_000,
    );
    expect((await fetch(`http://127.0.0.1:${ports.worker}/healthz`)).status).toBe(200);

    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(lines.some((line) => line.includes('herald | stopped'))).toBe(true);
    // The services drained gracefully before the database stopped: no forced exit, no lost connection.
    expect(
      lines.filter((line) => /second signal|connection lost|terminating connection/i.test(line)),
    ).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    for (const port of Object.values(ports)) expect(await portOpen(port)).toBe(false);
    // Without --fault-controls nothing can stop the database from outside.
    expect(lines.filter((line) => line.includes('fault controls'))).toEqual([]);
  }, 240_000);

  it('serves the fault controls on loopback only with --fault-controls, and they really stop PostgreSQL', async () => {
    const faultDir = await mkdtemp(join(tmpdir(), 'herald-faults-'));
    const ports = { aws: await freePort(), postgres: await freePort(), control: await freePort() };
    const launcher = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        ...['--no-services', '--fault-controls', '--data-dir', faultDir],
        ...['--aws-port', String(ports.aws), '--postgres-port', String(ports.postgres)],
        ...['--fault-controls-port', String(ports.control)],
      ],
      { env: { ...process.env, HERALD_DEV_API_KEY: API_KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = launcher;
    const lines: string[] = [];
    for (const stream of [launcher.stdout, launcher.stderr])
      createInterface({ input: stream }).on('line', (line) => lines.push(line));
    const exited = new Promise<number | null>((done) => launcher.once('exit', done));
    try {
      await waitFor(
        'the fault-controls line',
        () => Promise.resolve(lines.some((line) => line.includes('fault controls')) || undefined),
        120_000,
      );
      const control = `http://127.0.0.1:${ports.control}`;
      expect(await (await fetch(`${control}/`)).text()).toContain('POST /postgres/stop');
      expect((await fetch(`${control}/postgres/stop`, { method: 'POST' })).status).toBe(204);
      expect(await portOpen(ports.postgres)).toBe(false);
      expect((await fetch(`${control}/postgres/start`, { method: 'POST' })).status).toBe(204);
      expect(await portOpen(ports.postgres)).toBe(true);
      expect((await fetch(`${control}/aws/stop`, { method: 'POST' })).status).toBe(204);
      expect(await portOpen(ports.aws)).toBe(false);
      expect((await fetch(`${control}/aws/start`, { method: 'POST' })).status).toBe(204);
      expect(await portOpen(ports.aws)).toBe(true);
      expect((await fetch(`${control}/nothing`, { method: 'POST' })).status).toBe(404);
      launcher.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await portOpen(ports.control)).toBe(false);
    } catch (error) {
      throw new Error(`${String(error)}\n${lines.slice(-40).join('\n')}`);
    } finally {
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
      await rm(faultDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses --fault-controls-port without --fault-controls', async () => {
    const launcher = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '--fault-controls-port', '4599'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    launcher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((done) => launcher.once('exit', done))).toBe(2);
    expect(stderr).toContain('--fault-controls-port needs --fault-controls');
  });
});
