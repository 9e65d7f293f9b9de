import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { DemoOptions } from './demo-options';

const WORKSPACE = resolve(import.meta.dirname, '../../..');

/** The stack the demo talks to, and whether the demo started it. */
export interface DemoStack {
  readonly apiUrl: string;
  readonly edgeUrl: string;
  readonly databaseUrl: string;
  readonly started: boolean;
  /** Stops the stack if the demo started it; otherwise nothing. */
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The stack `npm start` runs when both its API and its edge answer; else starts one (the same
 * `tools/local-stack/src/cli.ts up`, with a short alarm period and a 2 s worker visibility
 * timeout (1 s heartbeat) so a failing message is dead-lettered in seconds) and waits for its summary line.
 */
export async function ensureStack(
  options: DemoOptions,
  say: (line: string) => void,
): Promise<DemoStack> {
  const apiUrl = `http://127.0.0.1:${String(options.ingestPort)}`;
  const edgeUrl = `http://127.0.0.1:${String(options.awsPort)}`;
  const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${String(options.postgresPort)}/herald`;
  const up = { apiUrl, edgeUrl, databaseUrl };
  const [api, edge] = await Promise.all([
    answers(`${apiUrl}/healthz`),
    answers(`${edgeUrl}/_herald/health`),
  ]);
  if (api && edge) return { ...up, started: false, stop: () => Promise.resolve() };
  if (api || edge)
    throw new Error(
      `only the ${api ? 'API' : 'edge'} answers (${api ? apiUrl : edgeUrl}): stop it or start the whole stack with npm start`,
    );
  const args = ['--import', 'tsx', 'tools/local-stack/src/cli.ts', 'up'];
  args.push('--aws-port', String(options.awsPort), '--ingest-port', String(options.ingestPort));
  args.push('--postgres-port', String(options.postgresPort));
  args.push('--worker-health-port', String(options.workerHealthPort));
  args.push('--data-dir', options.dataDir, '--alarm-period', String(options.alarmPeriod));
  say(`no stack answers: starting npm start -- ${args.slice(4).join(' ')}`);
  const child = spawn(process.execPath, args, {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      VISIBILITY_TIMEOUT_SECONDS: '2',
      HEARTBEAT_SECONDS: '1',
      DLQ_OBSERVE_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const ready = new Promise<void>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (line.includes('stack ready in')) done();
    });
    createInterface({ input: child.stderr }).on('line', (line) => tail.push(line));
    child.once('exit', (code) => {
      fail(new Error(`npm start exited with ${String(code)}:\n${tail.join('\n')}`));
    });
  });
  try {
    await ready;
    // The summary comes as the services are spawned: wait until the API and the worker answer.
    const workerHealth = `http://127.0.0.1:${String(options.workerHealthPort)}/healthz`;
    const deadline = Date.now() + 120_000;
    while (!(await answers(`${apiUrl}/healthz`)) || !(await answers(workerHealth))) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${tail.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`the API did not answer:\n${tail.join('\n')}`);
      await new Promise((done) => setTimeout(done, 250));
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { ...up, started: true, stop: () => stopChild(child) };
}
