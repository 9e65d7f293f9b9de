/**
 * Podman as it works on these machines (root, no Docker engine, no systemd): the `runc` runtime
 * (crun fails with "cgroups in hybrid mode not supported"), cgroupfs, a file event log, and
 * explicit nofile/nproc limits (podman's defaults fail with "setrlimit: Operation not permitted").
 */
import { spawn, spawnSync } from 'node:child_process';

const GLOBAL_FLAGS = [
  '--runtime',
  'runc',
  '--cgroup-manager',
  'cgroupfs',
  '--events-backend',
  'file',
];

/**
 * `podman run`/`podman build` limits: Fargate's nofile (65535) capped at this process's hard
 * limit (a container cannot get more than its parent has), and 4096 processes: a higher nproc,
 * even below the shell's hard limit, fails here with "setrlimit: Operation not permitted".
 */
export const ULIMITS = ulimits();

function ulimits(): string[] {
  const hard = spawnSync('/bin/sh', ['-c', 'ulimit -Hn; ulimit -Hu'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((value) => (value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value)));
  const cap = (limit: number, wanted: number) =>
    String(Number.isFinite(limit) && limit > 0 ? Math.min(limit, wanted) : wanted);
  const nofile = cap(hard[0] ?? Number.NaN, 65_535);
  const nproc = cap(hard[1] ?? Number.NaN, 4096);
  return ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`];
}

/** A podman command that exited non-zero or could not start. */
export class PodmanError extends Error {
  override readonly name = 'PodmanError';
}

/** Runs podman to completion and returns its stdout; throws with its stderr when it fails. */
export function podman(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync('podman', [...GLOBAL_FLAGS, ...args], {
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error)
    throw new PodmanError(
      `could not run podman: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message} (install it: apt-get install podman buildah runc)`,
    );
  if (result.status !== 0)
    throw new PodmanError(
      `podman ${args.slice(0, 2).join(' ')} failed (exit ${String(result.status)}): ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  return result.stdout;
}

/** Runs podman streaming its output to `log` line by line; resolves when it exits 0. */
export function podmanStreaming(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', [...GLOBAL_FLAGS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new PodmanError(`could not run podman: ${error.code ?? error.message}`));
    });
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new PodmanError(
            `podman ${args[0] ?? ''} failed (exit ${String(code)}):\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

/**
 * Runs podman without blocking the event loop (a test's own requests must keep flowing while
 * podman waits, e.g. for `podman stop`); resolves with its stdout, rejects as `podman` does.
 */
export function podmanAsync(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', [...GLOBAL_FLAGS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new PodmanError(`could not run podman: ${error.code ?? error.message}`));
    });
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new PodmanError(
            `podman ${args.slice(0, 2).join(' ')} failed (exit ${String(code)}): ${stderr.trim()}`,
          ),
        );
    });
  });
}

/** Runs podman and returns its exit status and output, whatever the status (probes). */
export function podmanProbe(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('podman', [...GLOBAL_FLAGS, ...args], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Whether an image with this reference is in local storage. */
export function imageExists(reference: string): boolean {
  return (
    spawnSync('podman', [...GLOBAL_FLAGS, 'image', 'exists', reference], { stdio: 'ignore' })
      .status === 0
  );
}

/** An image's size in bytes, as `podman image inspect` reports it. */
export function imageSize(reference: string): number {
  return Number(podman(['image', 'inspect', '--format', '{{.Size}}', reference]).trim());
}
