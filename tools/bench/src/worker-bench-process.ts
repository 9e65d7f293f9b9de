import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BatchLine {
  /** Epoch ms the line was written (the batch's end). */
  readonly at: number;
  readonly metrics: Record<string, number>;
}

export interface WorkerProcess {
  readonly batches: BatchLine[];
  /** Sends SIGTERM; resolves with the worker's final `worker usage` line and its exit code. */
  stop(): Promise<{ code: number | null; usage: Record<string, unknown> | undefined }>;
}

/**
 * Runs the production entry point (`apps/worker/src/main.ts`) under `node --import tsx`, as the
 * local-stack launcher does, and resolves once it logs `worker started`. Only the batch metric
 * lines and the final usage line are kept, not the per-message lines.
 */
export function startWorkerProcess(
  cwd: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'apps/worker/src/main.ts'],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const batches: BatchLine[] = [];
  let usage: Record<string, unknown> | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the worker did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${String(code)} before starting`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (
        !line.includes('"msg":"batch"') &&
        !line.includes('"msg":"worker usage"') &&
        !line.includes('"msg":"worker started"')
      )
        return;
      const entry = JSON.parse(line) as {
        msg: string;
        time: string;
        metrics?: Record<string, number>;
      };
      if (entry.msg === 'batch' && entry.metrics)
        batches.push({ at: Date.parse(entry.time), metrics: entry.metrics });
      if (entry.msg === 'worker usage') usage = entry;
      if (entry.msg === 'worker started') {
        clearTimeout(timer);
        resolve({
          batches,
          stop: async () => {
            child.kill('SIGTERM');
            return { code: await exited, usage };
          },
        });
      }
    });
  });
}
