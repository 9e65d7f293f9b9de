import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

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

/** Starts a service from its TypeScript source with tsx, prefixing its log lines with its name. */
export function startService(workspaceRoot: string, spec: ServiceSpec, write: (line: string) => void): RunningService {
  const entry = resolve(workspaceRoot, spec.entry);
  if (!existsSync(entry)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  // `node --import tsx` keeps the service in this one process: a signal (even SIGKILL) reaches
  // it directly, where the tsx CLI would put a second process in between.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: workspaceRoot,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => { write(`${spec.name.padEnd(7)}| ${line}`); });
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => { done(code); }));
  return {
    name: spec.name,
    process: child,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
