/**
 * Where PostgreSQL's binaries and cluster live when the launcher is root.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the unprivileged `postgres`
 * user, which must search every parent folder of its binaries and its data. A clone in root's
 * home (mode 0700) fails both. Rather than loosen the user's folders, whatever that user cannot
 * reach is placed under one root-owned folder it can: `/var/tmp/herald-postgres-uid0`
 * (/var/tmp survives a reboot, unlike a tmpfs /tmp, so `npm start`'s data persists):
 *
 * - `bin-<version>-<arch>/`: a copy of the npm package's `native/` folder, made once per version;
 * - `clusters/<hash of the data dir's path>/`: the cluster, owned by `postgres`, mode 0700; the
 *   requested data dir becomes a symlink to it, and `<hash>.link` records that path so a cluster
 *   whose symlink is gone (a removed temp stack) is deleted on a later start.
 *
 * A data dir or binaries that the user can already reach stay where they are.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  chown,
  cp,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { arch } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SpawnIdentity } from './spawn-error';

/** The root-owned folder that the `postgres` user can search. */
export const ROOT_HOME = '/var/tmp/herald-postgres-uid0';

/** A cluster whose symlink is gone is kept this long: another launcher may be between its two writes. */
const ABANDONED_AFTER_MS = 60_000;

/** Whether `user` can search every folder down to `path` and has `mode` (`-x`, `-r`, …) on it. */
export function reachableBy(user: SpawnIdentity, path: string, mode = '-x'): boolean {
  // access(2) as that user through the shell's test: node itself may sit under /root.
  const result = spawnSync('/bin/sh', ['-c', `test ${mode} "$1"`, 'sh', path], user);
  return result.status === 0;
}

/** Creates ROOT_HOME and checks that nobody else owns or can write it; returns its path. */
export function rootHome(): Promise<string> {
  return ownedFolder(ROOT_HOME);
}

/** Creates a root-owned folder and checks that nobody else owns or can write it. */
async function ownedFolder(path: string, mode = 0o755): Promise<string> {
  await mkdir(path, { recursive: true, mode });
  const info = await lstat(path);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0)
    throw new Error(
      `${path} must be a folder owned by root and writable only by it (it is not: remove it and start again)`,
    );
  return path;
}

/**
 * The `native/` folder of the PostgreSQL binaries, copied under ROOT_HOME when `user` cannot reach
 * the installed one. The copy is made beside its final name and renamed, so a crash mid-copy
 * never leaves half a copy in use.
 */
export async function reachableBinaries(
  nativeDir: string,
  version: string,
  user: SpawnIdentity,
): Promise<string> {
  if (reachableBy(user, join(nativeDir, 'bin', 'postgres'))) return nativeDir;
  const home = await rootHome();
  const target = join(home, `bin-${version}-${arch()}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  const partial = `${target}.partial-${String(process.pid)}`;
  await rm(partial, { recursive: true, force: true });
  await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  await rename(partial, target).catch(async (error: unknown) => {
    // Another launcher renamed its copy first: use that one.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  });
  return target;
}

/**
 * The folder the server uses for `dataDir`: `dataDir` itself when `user` can reach its parent,
 * otherwise a cluster folder under ROOT_HOME that `dataDir` becomes a symlink to.
 */
export async function reachableDataDir(
  dataDir: string,
  user: Required<SpawnIdentity>,
): Promise<string> {
  const requested = resolve(dataDir);
  await mkdir(dirname(requested), { recursive: true });
  const isLink = (await lstat(requested).catch(() => undefined))?.isSymbolicLink() ?? false;
  if (!isLink && reachableBy(user, dirname(requested))) return requested;
  if (!isLink && existsSync(join(requested, 'PG_VERSION')))
    throw new Error(
      `the PostgreSQL cluster in ${requested} cannot be reached by the postgres user (uid ${String(user.uid)}): a parent folder is not searchable by it; delete ${requested} (its data is lost) to start a new one`,
    );
  await rootHome();
  const clusters = await ownedFolder(join(ROOT_HOME, 'clusters'));
  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 16);
  const cluster = join(clusters, hash);
  await writeFile(`${cluster}.link`, `${requested}\n`);
  if (!isLink || (await readlink(requested)) !== cluster) {
    await rm(requested, { recursive: true, force: true });
    await symlink(cluster, requested);
  }
  await removeAbandoned(clusters);
  return cluster;
}

/** An empty folder at `path` (whatever was there is deleted), owned by `user` when given. */
export async function emptyFolder(path: string, user: SpawnIdentity): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) await chown(path, user.uid, user.gid);
}

/** Deletes relocated clusters whose data dir no longer links to them and whose server is down. */
async function removeAbandoned(clusters: string): Promise<void> {
  for (const name of await readdir(clusters)) {
    if (!name.endsWith('.link')) continue;
    const linkFile = join(clusters, name);
    const cluster = linkFile.slice(0, -'.link'.length);
    const requested = (await readFile(linkFile, 'utf8').catch(() => '')).trim();
    const pointsHere = await readlink(requested).then(
      (target) => target === cluster,
      () => false,
    );
    const age = Date.now() - (await stat(linkFile)).mtimeMs;
    if (pointsHere || age < ABANDONED_AFTER_MS || isAlive(readPid(cluster))) continue;
    await rm(cluster, { recursive: true, force: true });
    await rm(linkFile, { force: true });
  }
}

/** The postmaster's pid from a cluster's `postmaster.pid`, or 0. */
export function readPid(cluster: string): number {
  let text = '';
  try {
    text = readFileSync(join(cluster, 'postmaster.pid'), 'utf8');
  } catch {
    return 0;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
