import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_HOME, reachableBinaries, reachableBy, reachableDataDir } from './postgres-home';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(mode: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-home-'));
  dirs.push(dir);
  await chmod(dir, mode);
  return dir;
}

const id = (flag: string) =>
  Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());

// Only root hands PostgreSQL to another user; as anyone else the server runs as the caller and
// none of this applies (startPostgres never calls it), so there is nothing to test.
describe.runIf(process.getuid?.() === 0 && spawnSync('id', ['postgres']).status === 0)(
  'where PostgreSQL lives when the launcher is root',
  () => {
    const user = { uid: id('-u'), gid: id('-g') };

    it('keeps a data dir the postgres user can reach where it is', async () => {
      const parent = await folder(0o755);
      expect(await reachableDataDir(join(parent, 'pg'), user)).toBe(join(parent, 'pg'));
      expect(existsSync(join(parent, 'pg'))).toBe(false);
    });

    it('moves a data dir under a 0700 folder to a cluster it links to', async () => {
      const parent = await folder(0o700);
      const requested = join(parent, 'pg');
      const cluster = await reachableDataDir(requested, user);
      expect(cluster.startsWith(`${ROOT_HOME}/clusters/`)).toBe(true);
      expect(await readlink(requested)).toBe(cluster);
      expect(reachableBy(user, cluster.replace(/\/[^/]+$/, ''))).toBe(true);
      // The same data dir maps to the same cluster on the next start.
      expect(await reachableDataDir(requested, user)).toBe(cluster);
    });

    it('deletes a moved cluster once its data dir is gone', async () => {
      const parent = await folder(0o700);
      const cluster = await reachableDataDir(join(parent, 'pg'), user);
      await mkdir(cluster, { recursive: true });
      await rm(parent, { recursive: true });
      const old = new Date(Date.now() - 10 * 60_000);
      await utimes(`${cluster}.link`, old, old);
      await reachableDataDir(join(await folder(0o700), 'pg'), user);
      expect(existsSync(cluster)).toBe(false);
      expect(existsSync(`${cluster}.link`)).toBe(false);
    });

    it('refuses an existing cluster the postgres user cannot reach, saying what to do', async () => {
      const requested = join(await folder(0o700), 'pg');
      await mkdir(requested);
      await writeFile(join(requested, 'PG_VERSION'), '17\n');
      await expect(reachableDataDir(requested, user)).rejects.toThrow(
        `the PostgreSQL cluster in ${requested} cannot be reached by the postgres user (uid ${String(user.uid)}): a parent folder is not searchable by it; delete ${requested} (its data is lost) to start a new one`,
      );
    });

    it('copies binaries the postgres user cannot reach, once per version', async () => {
      const native = join(await folder(0o700), 'native');
      await mkdir(join(native, 'bin'), { recursive: true });
      await writeFile(join(native, 'bin', 'postgres'), '#!/bin/sh\necho ok\n', { mode: 0o755 });
      const version = `test-${String(process.pid)}-${String(Date.now())}`;
      const copy = await reachableBinaries(native, version, user);
      dirs.push(copy);
      expect(copy.startsWith(`${ROOT_HOME}/bin-${version}-`)).toBe(true);
      expect(reachableBy(user, join(copy, 'bin', 'postgres'))).toBe(true);
      expect((await lstat(copy)).uid).toBe(0);
      expect(await reachableBinaries(native, version, user)).toBe(copy);
    });
  },
);
