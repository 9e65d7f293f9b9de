/**
 * A newcomer's first run: `git clone` into a private (0700) folder, then `npm start`. As root the
 * PostgreSQL server runs as the unprivileged `postgres` user, which cannot search a 0700 folder,
 * so this catches any binary or data path that user would have to reach inside the clone.
 *
 * The clone is of the committed work tree (what a newcomer gets); node_modules is hard-linked from
 * this tree (same inodes, but reached through the private path), so nothing is downloaded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port';

const WORKSPACE_ROOT = resolve(import.meta.dirname, '../../..');

let child: ChildProcess | undefined;
let home = '';

afterAll(async () => {
  // A failed test leaves the stack up: Ctrl-C it (it stops PostgreSQL, which SIGKILL would orphan).
  if (child && child.exitCode === null && child.signalCode === null && child.pid) {
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGINT');
    const timer = setTimeout(() => {
      if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    }, 60_000);
    await exited;
    clearTimeout(timer);
  }
  if (home) await rm(home, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd?: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`,
    );
}

describe('a fresh clone in a 0700 folder', () => {
  it('starts the whole stack with npm start and stops it cleanly', async () => {
    home = await mkdtemp(join(tmpdir(), 'herald-private-'));
    await chmod(home, 0o700);
    const clone = join(home, 'herald');
    run('git', ['clone', '--quiet', WORKSPACE_ROOT, clone]);
    run('cp', ['-al', join(WORKSPACE_ROOT, 'node_modules'), join(clone, 'node_modules')]);
    const ports = {
      aws: await freePort(),
      postgres: await freePort(),
      ingest: await freePort(),
      worker: await freePort(),
    };
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/local-stack/src/cli.ts',
        'up',
        ...['--aws-port', ports.aws, '--postgres-port', ports.postgres].map(String),
        ...['--ingest-port', ports.ingest, '--worker-health-port', ports.worker].map(String),
      ],
      { cwd: clone, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: 'pipe', detached: true },
    );
    const lines: string[] = [];
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const ready = new Promise<void>((done, fail) => {
      for (const stream of [child?.stdout, child?.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          lines.push(line);
          if (line.includes('Ctrl-C stops everything')) done();
        });
      }
      void exited.then(([code]) => {
        fail(new Error(`npm start exited ${String(code)} before ready:\n${lines.join('\n')}`));
      });
    });
    await ready;

    // The default data dir, inside the private clone, holds a working cluster.
    const client = new pg.Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${String(ports.postgres)}/herald`,
    });
    await client.connect();
    expect((await client.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    await client.end();
    // The services, run from the clone's sources, come up after the summary: poll their health.
    for (const url of [
      `http://127.0.0.1:${String(ports.worker)}/healthz`,
      `http://127.0.0.1:${String(ports.ingest)}/healthz`,
    ]) {
      let status = 0;
      for (let tries = 0; status !== 200 && tries < 300; tries += 1) {
        status = await fetch(url).then(
          (response) => response.status,
          () => 0,
        );
        if (status !== 200) await new Promise((done) => setTimeout(done, 200));
      }
      expect(status, `${url}\n${lines.join('\n')}`).toBe(200);
    }

    if (child.pid) process.kill(-child.pid, 'SIGINT');
    const [code] = await exited;
    expect(code, lines.join('\n')).toBe(0);
  }, 180_000);
});
