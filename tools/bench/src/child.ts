import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpuMicros, rssMb } from './proc-stats';

export interface ChildOptions {
  readonly cwd: string;
  /** A TypeScript entry, run with `node --import tsx` (one process: signals reach it directly). */
  readonly entry: string;
  readonly args?: readonly string[];
  readonly env: Record<string, string>;
  readonly nodeArgs?: readonly string[];
  /** Resolves `start` once a JSON line with this `msg` appears. */
  readonly readyMessage: string;
  /** Keep JSON lines whose `msg` is one of these (the rest are only counted). */
  readonly keep?: readonly string[];
  readonly startTimeoutMs?: number;
}

export interface Child {
  readonly pid: number;
  /** The port of the ready line, if it named one. */
  readonly port: number;
  /** Lines kept (see `keep`), in order, with the time they were read. */
  readonly lines: { readonly at: number; readonly entry: Record<string, unknown> }[];
  /** Bytes written to stdout so far: the log volume CloudWatch would ingest. */
  logBytes(): number;
  cpuMicros(): number;
  rss(): { rssMb: number; peakRssMb: number };
  /** Waits for a kept line with this `msg` (already read or to come). */
  waitFor(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts a bench child process and resolves once it logs `readyMessage`. */
export function startChild(options: ChildOptions): Promise<Child> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const keep = new Set([options.readyMessage, ...(options.keep ?? [])]);
  const lines: { at: number; entry: Record<string, unknown> }[] = [];
  const listeners = new Set<() => void>();
  let bytes = 0;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
      for (const listener of listeners) listener();
    }),
  );
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.byteLength;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
    if (msg === undefined || !keep.has(msg)) return;
    lines.push({ at: Date.now(), entry: JSON.parse(line) as Record<string, unknown> });
    for (const listener of listeners) listener();
  });
  const pid = child.pid ?? 0;
  const waitFor = (msg: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find((line) => line.entry.msg === msg);
        if (found) {
          done();
          resolve(found.entry);
        } else if (exitCode !== undefined) {
          done();
          reject(
            new Error(`${options.entry} exited (${String(exitCode)}) before logging "${msg}"`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${options.entry} did not log "${msg}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const handle: Child = {
    pid,
    port: 0,
    lines,
    logBytes: () => bytes,
    cpuMicros: () => cpuMicros(pid),
    rss: () => rssMb(pid),
    waitFor,
    stop: async (graceMs = 30_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return waitFor(options.readyMessage, options.startTimeoutMs ?? 60_000).then(
    (ready) => ({ ...handle, port: Number(ready.port ?? 0) }),
    async (error: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw error;
    },
  );
}
