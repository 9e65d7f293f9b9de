import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  readonly port: number;
  /** Sends SIGTERM and resolves with the last JSON line whose `msg` is `finalMessage`, if any. */
  stop(finalMessage?: string): Promise<Record<string, unknown> | undefined>;
}

/**
 * Runs a TypeScript entry with `node --import tsx` (one process: signals reach it directly)
 * and resolves once a JSON log line with `msg === readyMessage` names its port.
 */
export function startServerProcess(
  cwd: string,
  entry: string,
  env: Record<string, string>,
  readyMessage: string,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within 30 s`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with code ${String(code)} before listening`));
    });
    if (!child.stdout) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entryLine: Record<string, unknown>;
      try {
        entryLine = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      // Keep only what stop() may look for, not every access-log line.
      if (entryLine.msg !== 'request') lines.push(entryLine);
      if (entryLine.msg === readyMessage) {
        clearTimeout(timer);
        resolve({
          port: Number(entryLine.port),
          stop: async (finalMessage) => {
            child.kill('SIGTERM');
            await exited;
            return finalMessage
              ? lines.findLast((candidate) => candidate.msg === finalMessage)
              : undefined;
          },
        });
      }
    });
  });
}
