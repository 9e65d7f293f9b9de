/** One dependency the service needs to do its job. `check` rejects when it is unreachable. */
export interface DependencyCheck {
  readonly name: string;
  check(signal: AbortSignal): Promise<unknown>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, 'ok' | 'failed'>>;
}

/** Answers whether dependencies are reachable. */
export interface Readiness {
  report(): Promise<ReadinessReport>;
}

export interface CachedReadinessOptions {
  /** A report is reused this long, so load balancer probes do not hammer dependencies. */
  readonly cacheMs: number;
  /** A check slower than this fails. */
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** Runs every check in parallel, at most once per `cacheMs`; concurrent probes share one run. */
export class CachedReadiness implements Readiness {
  #last: { at: number; report: Promise<ReadinessReport> } | undefined;
  readonly #now: () => number;

  constructor(
    private readonly checks: readonly DependencyCheck[],
    private readonly options: CachedReadinessOptions,
  ) {
    this.#now = options.now ?? (() => performance.now());
  }

  report(): Promise<ReadinessReport> {
    const now = this.#now();
    if (this.#last && now - this.#last.at < this.options.cacheMs) return this.#last.report;
    const report = this.#run();
    this.#last = { at: now, report };
    return report;
  }

  async #run(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (dependency) => {
        const signal = AbortSignal.timeout(this.options.timeoutMs);
        try {
          await Promise.race([
            dependency.check(signal),
            new Promise((_, reject) => {
              signal.addEventListener(
                'abort',
                () => {
                  reject(new Error('timeout'));
                },
                { once: true },
              );
            }),
          ]);
          return [dependency.name, 'ok'] as const;
        } catch {
          return [dependency.name, 'failed'] as const;
        }
      }),
    );
    return {
      ready: results.every(([, result]) => result === 'ok'),
      checks: Object.fromEntries(results),
    };
  }
}
