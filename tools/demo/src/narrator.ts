/** The demo's voice: numbered steps, what each showed, and the commands' own output indented. */
export class Narrator {
  private readonly started = Date.now();
  private step = 0;
  /** Every step's title that completed, in order (the end-to-end test reads them). */
  readonly done: string[] = [];
  private current = '';

  constructor(
    private readonly write: (line: string) => void,
    private readonly total: number,
    /** Awaited after each step (a test looks at the ops page between steps). */
    private readonly afterStep: (title: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  private clock(): string {
    return `[${((Date.now() - this.started) / 1000).toFixed(1).padStart(5)}s]`;
  }

  /** Starts the next step. */
  begin(title: string): void {
    this.step += 1;
    this.current = title;
    this.stepStartedAt = Date.now();
    this.write(`${this.clock()} ▶ ${String(this.step)}/${String(this.total)} ${title}`);
  }

  /** A line of what the step did or found. */
  say(line: string): void {
    this.write(`         ${line}`);
  }

  /** A command's output, indented under the step. */
  show(command: string, output: string): void {
    this.write(`         $ ${command}`);
    for (const line of output.split('\n')) this.write(`           ${line}`);
  }

  /** Ends the current step. */
  async ok(line: string): Promise<void> {
    this.write(`${this.clock()} ✔ ${line}`);
    this.done.push(this.current);
    await this.afterStep(this.current);
  }

  /** When the current step began (epoch ms). */
  stepStartedAt = Date.now();

  /** Seconds since the demo began. */
  elapsedSeconds(): number {
    return Math.round((Date.now() - this.started) / 100) / 10;
  }
}

/** Polls `check` every `everyMs` until it answers a value, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up after ${String(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
