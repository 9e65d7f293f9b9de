import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService, type RunningService, type ServiceSpec } from '@herald/local-stack';

/** How a started service shows it is ready: a log line, or a URL answering 2xx. */
export type ReadyProbe = { readonly line: string } | { readonly url: string };

const READY_TIMEOUT_MS = 90_000;

export interface ExitReport {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From the signal to the exit. */
  readonly ms: number;
}

/**
 * One production service (apps/<name>/src/main.ts, unchanged) that a scenario can kill and
 * start again on the same port, like an ECS task replaced after a crash or a Spot interruption.
 */
export class ManagedService {
  #running: RunningService | undefined;
  #exit: Promise<ExitReport> | undefined;
  readonly #lines: string[] = [];
  #waiters: { pattern: string; done: () => void }[] = [];

  constructor(
    readonly name: string,
    private readonly workspaceRoot: string,
    private readonly pidDir: string,
    private readonly spec: ServiceSpec,
    private readonly ready: ReadyProbe,
  ) {}

  get pid(): number | undefined {
    return this.#running?.process.pid;
  }

  get alive(): boolean {
    return this.isRunning();
  }

  private isRunning(): boolean {
    const child = this.#running?.process;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The last log lines (for a failure report). */
  tail(count = 20): string[] {
    return this.#lines.slice(-count);
  }

  /** Resolves when a log line containing `pattern` arrives after this call. */
  nextLine(pattern: string): Promise<void> {
    return new Promise((done) => this.#waiters.push({ pattern, done }));
  }

  /** Starts the service and waits until it is ready (bounded by the ready probe). */
  async start(): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    const logged = 'line' in this.ready ? this.nextLine(this.ready.line) : undefined;
    const running = await startService(this.workspaceRoot, this.pidDir, this.spec, (line) => {
      this.#record(line);
    });
    this.#running = running;
    this.#exit = new Promise((done) => {
      running.process.once('exit', (code, signal) => {
        done({ code, signal, ms: 0 });
      });
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const url = 'url' in this.ready ? this.ready.url : undefined;
    for (;;) {
      // A readiness wait outlives the child when it dies at start-up (bad env, port in use).
      if (!this.isRunning())
        throw new Error(`${this.name} exited while starting:\n${this.tail().join('\n')}`);
      if (logged && (await Promise.race([logged.then(() => true), sleep(200).then(() => false)])))
        return;
      if (
        url &&
        (await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        ))
      )
        return;
      if (Date.now() > deadline)
        throw new Error(
          `${this.name} not ready after ${READY_TIMEOUT_MS} ms:\n${this.tail().join('\n')}`,
        );
      if (url) await sleep(200);
    }
  }

  /** Sends `signal` and waits (at most `timeoutMs`, then SIGKILL) for the exit. */
  async signal(signal: 'SIGKILL' | 'SIGTERM', timeoutMs = 130_000): Promise<ExitReport> {
    const running = this.#running;
    const exit = this.#exit;
    if (!running || !exit) throw new Error(`${this.name} is not running`);
    const sent = Date.now();
    running.process.kill(signal);
    const timer = setTimeout(() => running.process.kill('SIGKILL'), timeoutMs);
    const report = await exit;
    clearTimeout(timer);
    this.#running = undefined;
    return { ...report, ms: Date.now() - sent };
  }

  /** Resident memory of the process, from /proc (Linux). */
  rssBytes(): number | undefined {
    if (!this.pid || !this.alive) return undefined;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.alive) await this.signal('SIGTERM', 30_000);
  }

  #record(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > 400) this.#lines.splice(0, 200);
    if (this.#waiters.length === 0) return;
    const matched = this.#waiters.filter((waiter) => line.includes(waiter.pattern));
    this.#waiters = this.#waiters.filter((waiter) => !matched.includes(waiter));
    for (const waiter of matched) waiter.done();
  }
}
