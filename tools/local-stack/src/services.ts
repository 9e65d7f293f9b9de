import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { spawned } from './spawn-error';

export interface ServiceSpec {
  name: string;
  /** Entry file of the service, relative to the workspace root. */
  entry: string;
  env: Record<string, string>;
}

export interface RunningService {
  readonly name: string;
  readonly process: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts a service from its TypeScript source, prefixing its log lines with its name.
 *
 * `node --import tsx` keeps the service in one process, so a signal (even SIGKILL) reaches it
 * directly. It runs in its own process group: Ctrl-C in the terminal reaches only the launcher,
 * which stops the services first (one SIGTERM each, a graceful drain) and the stack after. A pid
 * file in `pidDir` lets the next start clean up a service orphaned by a SIGKILLed launcher.
 */
export async function startService(
  workspaceRoot: string,
  pidDir: string,
  spec: ServiceSpec,
  write: (line: string) => void,
): Promise<RunningService> {
  const entry = resolve(workspaceRoot, spec.entry);
  if (!existsSync(entry)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  const pidFile = join(pidDir, `${spec.name}.pid`);
  await killOrphanService(pidFile, entry);
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: workspaceRoot,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await spawned(child, {
    name: spec.name,
    path: process.execPath,
    cwd: workspaceRoot,
    missing: 'check that the workspace folder exists',
  });
  await mkdir(pidDir, { recursive: true });
  await writeFile(pidFile, String(child.pid));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      write(`${spec.name.padEnd(7)}| ${line}`);
    });
  }
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      void rm(pidFile, { force: true }).then(() => {
        done(code);
      });
    }),
  );
  // If the launcher dies of an error, do not leave the service running.
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    name: spec.name,
    process: child,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      } else {
        await exited;
      }
      return child.exitCode;
    },
  };
}

/** A service left running by a SIGKILLed launcher still holds its port: stop it first. */
async function killOrphanService(pidFile: string, entry: string): Promise<void> {
  const pid = Number.parseInt(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isOurService(pid, entry)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 30_000 && isOurService(pid, entry); waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
  if (isOurService(pid, entry)) process.kill(pid, 'SIGKILL');
}

/** The pid is alive and still runs this entry file (pids are reused). */
function isOurService(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes(entry);
  } catch {
    return false;
  }
}
