import type { ChildProcess, SpawnSyncReturns } from 'node:child_process';

/** Who a child runs as, when it is not the launcher's own user. */
export interface SpawnIdentity {
  uid?: number;
  gid?: number;
}

/** What was spawned, for the message: the program's path, what it is, and how to fix it. */
export interface SpawnTarget extends SpawnIdentity {
  /** What the program is, e.g. `initdb`. */
  name: string;
  path: string;
  cwd?: string;
  /** What to do when the program is missing (ENOENT), e.g. `run npm ci`. */
  missing?: string;
}

/** A process could not be started (as opposed to one that started and failed). */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * One line naming the real cause of a failed spawn: the errno, the path, as whom, and what to do.
 * @example throw spawnError(result.error, { name: 'initdb', path, uid: 106 })
 */
export function spawnError(error: Error, target: SpawnTarget): SpawnError {
  const code = (error as NodeJS.ErrnoException).code;
  const as = target.uid === undefined ? '' : ` as uid ${String(target.uid)}`;
  const remedy = remedyFor(code, target);
  return new SpawnError(
    `could not start ${target.name} (${target.path})${as}: ${code ?? error.message}${remedy ? `; ${remedy}` : ''}`,
    code,
    target.path,
    { cause: error },
  );
}

function remedyFor(code: string | undefined, target: SpawnTarget): string {
  const who = target.uid === undefined ? 'this user' : `uid ${String(target.uid)}`;
  switch (code) {
    case 'ENOENT':
      return `no such file (or its working folder ${target.cwd ?? '.'} is missing)${target.missing ? `: ${target.missing}` : ''}`;
    case 'EACCES':
      return `permission denied: ${who} must be able to search every parent folder of the program and execute it (see \`namei -l ${target.path}\`)`;
    case 'EPERM':
      return `operation not permitted: only root may start a process as another user`;
    case 'ENOEXEC':
      return 'not an executable for this machine (wrong architecture or a broken install: run npm ci)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files: raise the limit (ulimit -n)';
    case 'EAGAIN':
      return 'too many processes for this user: raise the limit (ulimit -u)';
    default:
      return '';
  }
}

/**
 * Throws a SpawnError when spawnSync could not start the program, or an Error with its exit
 * status, signal and stderr when it ran and failed; returns its stdout otherwise.
 */
export function checkSpawnSync(result: SpawnSyncReturns<string>, target: SpawnTarget): string {
  if (result.error) throw spawnError(result.error, target);
  if (result.status !== 0) {
    const how =
      result.signal === null ? `exit code ${String(result.status)}` : `signal ${result.signal}`;
    throw new Error(`${target.name} (${target.path}) failed with ${how}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Resolves once the child is running, rejects with a SpawnError naming the cause if it is not. */
export function spawned(child: ChildProcess, target: SpawnTarget): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Kept after the spawn too: a later 'error' (a failed kill) must not crash the launcher.
    child.on('error', (error) => {
      reject(spawnError(error, target));
    });
    child.once('spawn', () => {
      resolve(child);
    });
  });
}
