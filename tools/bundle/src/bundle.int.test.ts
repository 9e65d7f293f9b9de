/**
 * Bundles a fixture that imports the real dependencies (hono, @hono/node-server, pg, the SQS
 * client, pino), copies ONLY the output into an empty folder and runs it there with plain
 * `node`: proof that dist/ needs no node_modules.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError, bundleApp, type BundleResult } from './bundle';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'herald-bundle-'));
const dist = join(work, 'build', 'dist');
const runDir = join(work, 'empty', 'app');
let result: BundleResult;

beforeAll(async () => {
  result = await bundleApp(
    {
      entries: { main: 'app/main.ts', migrate: 'app/migrate.ts' },
      copies: [{ from: 'app/migrations', to: 'migrations' }],
    },
    { root: FIXTURES, outdir: dist },
  );
  cpSync(dist, runDir, { recursive: true });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Starts `node main.js` in the bare folder and resolves with the port it logs. */
async function start(): Promise<{
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
}> {
  const child = spawn(process.execPath, ['main.js'], {
    cwd: runDir,
    env: { PATH: process.env.PATH, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`main.js exited ${String(code)} before listening:\n${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') resolve(Number(entry.port));
    });
  });
  return { child, port, lines };
}

describe('bundleApp', () => {
  it('writes one ESM file per entry, source maps, the copies and a module package.json', () => {
    const files = result.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'main.js',
        'main.js.map',
        'migrate.js',
        'migrate.js.map',
        'package.json',
        'migrations/0000_fixture.sql',
        'migrations/meta/_journal.json',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.js'))).toEqual(['main.js', 'migrate.js']);
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
    expect(readFileSync(join(dist, 'main.js'), 'utf8')).toMatch(
      /^import \{ createRequire as __heraldCreateRequire \} from 'node:module';/,
    );
  });

  it('runs from a folder with no node_modules anywhere above it', async () => {
    expect(readdirSync(join(work, 'empty'))).toEqual(['app']);
    expect(existsSync(join(tmpdir(), 'node_modules'))).toBe(false);
    const { child, port, lines } = await start();
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });

      // pg and the SQS client really run: both report the refused connection.
      const dependencies = await fetch(`http://127.0.0.1:${port}/dependencies`);
      expect(await dependencies.json()).toEqual({
        database: 'ECONNREFUSED',
        queue: 'ECONNREFUSED',
      });
      expect(lines[0]).toMatchObject({ level: 30, app: 'fixture', msg: 'listening' });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('runs a second entry that finds the copied migrations beside it', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['migrate.js'], {
      cwd: runDir,
      env: { PATH: process.env.PATH },
    });
    expect(JSON.parse(stdout)).toEqual({
      migrations: ['0000_fixture.sql'],
      journal: ['0000_fixture'],
    });
  });

  it('names a missing entry and where it looked', async () => {
    await expect(
      bundleApp(
        { entries: { main: 'app/nope.ts' } },
        { root: FIXTURES, outdir: join(work, 'missing') },
      ),
    ).rejects.toThrow(
      new BundleError(
        `entry "main": app/nope.ts does not exist (paths are relative to ${FIXTURES})`,
      ),
    );
  });
});
