import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpawnSync, spawned, SpawnError } from './spawn-error';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function script(mode: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-spawn-'));
  dirs.push(dir);
  const file = join(dir, 'tool');
  await writeFile(file, '#!/bin/sh\necho out; echo oops >&2; exit 3\n');
  await chmod(file, mode);
  return file;
}

describe('spawn errors', () => {
  it('names the errno, the path and the fix when the program is missing', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'herald-spawn-')), 'absent');
    const child = spawn(path, [], { stdio: 'ignore' });
    const error = await spawned(child, { name: 'initdb', path, missing: 'run npm ci' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SpawnError);
    expect((error as SpawnError).code).toBe('ENOENT');
    expect((error as Error).message).toBe(
      `could not start initdb (${path}): ENOENT; no such file (or its working folder . is missing): run npm ci`,
    );
  });

  it('says which folders to check when the program cannot be executed', async () => {
    const path = await script(0o644);
    const result = spawnSync(path, [], { encoding: 'utf8' });
    expect(() => checkSpawnSync(result, { name: 'tool', path })).toThrow(
      `could not start tool (${path}): EACCES; permission denied: this user must be able to search every parent folder of the program and execute it (see \`namei -l ${path}\`)`,
    );
  });

  it('reports the exit code and stderr of a program that ran and failed', async () => {
    const path = await script(0o755);
    const result = spawnSync(path, [], { encoding: 'utf8' });
    expect(() => checkSpawnSync(result, { name: 'tool', path })).toThrow(
      `tool (${path}) failed with exit code 3: oops`,
    );
  });

  it('resolves with the child once it runs', async () => {
    const path = await script(0o755);
    const child = await spawned(spawn(path, [], { stdio: 'ignore' }), { name: 'tool', path });
    expect(child.pid).toBeGreaterThan(0);
  });
});
