import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port';
import { isAlive, startPostgres, type LocalPostgres } from './postgres';

const dirs: string[] = [];
const servers: LocalPostgres[] = [];

afterAll(async () => {
  await Promise.allSettled(servers.map((server) => server.stop()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-pg-test-'));
  dirs.push(dir);
  return join(dir, 'pg');
}

describe('startPostgres', () => {
  it('runs a real PostgreSQL 17 that survives a stop and start with its data', async () => {
    const server = await startPostgres({
      dataDir: await tempDir(),
      port: await freePort(),
      password: 'pw',
      fast: true,
    });
    servers.push(server);
    await server.ensureDatabase('herald_t');
    const url = server.url('postgres', 'pw', 'herald_t');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect(
      (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]
        ?.v,
    ).toMatch(/^17\./);
    await client.query('create table kept (n int)');
    await client.query('insert into kept values (42)');
    await client.end();
    await server.stop();
    await expect(new pg.Client({ connectionString: url }).connect()).rejects.toThrow();
    await server.start();
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    expect((await again.query<{ n: number }>('select n from kept')).rows).toEqual([{ n: 42 }]);
    await again.end();
  });

  it('cleans up a postmaster orphaned by a SIGKILLed parent before starting', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(import.meta.dirname, '../test/orphan-parent.ts'),
        dataDir,
        String(port),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let waited = 0; !/postmaster \d+/.test(output) && waited < 60_000; waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
    }
    const orphanPid = Number(/postmaster (\d+)/.exec(output)?.[1]);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    expect(isAlive(orphanPid)).toBe(true);

    const server = await startPostgres({ dataDir, port, password: 'pw', fast: true });
    servers.push(server);
    expect(isAlive(orphanPid)).toBe(false);
    const client = new pg.Client({ connectionString: server.url('postgres', 'pw', 'postgres') });
    await client.connect();
    expect((await client.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    await client.end();
  });
});
