import type { Logger } from '@herald/observability';

/** Where the signals come from: `process`, or an EventEmitter in tests. */
const exitProcess = (code: number): never => process.exit(code);

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Everything must be done inside this budget (SHUTDOWN.drainBudgetSeconds). */
  readonly budgetMs: number;
  /**
   * Drains and closes; resolves true when nothing was abandoned. `deadline` (epoch ms) is the
   * budget minus `closeMarginMs`: stop draining by then, so closing still fits.
   */
  readonly stop: (deadline: number) => Promise<boolean>;
  /** Time kept back from the budget for closing pools, servers and clients. Default 2 s. */
  readonly closeMarginMs?: number;
  /** What the log lines call the service's stop, e.g. `worker stopped`. */
  readonly name?: string;
  readonly signals?: SignalSource;
  readonly exit?: (code: number) => void;
  readonly clock?: () => number;
}

const DEFAULT_CLOSE_MARGIN_MS = 2_000;

/**
 * On SIGTERM or SIGINT: drain with a deadline, then exit 0 (clean) or 1 (something was abandoned,
 * SQS redelivers it). The budget running out exits 1; a second signal exits 1 at once (ECS sends
 * SIGKILL, never a second SIGTERM, so a second signal is a person who means it).
 * @example onShutdownSignal({ logger, budgetMs: 25_000, stop: (deadline) => worker.drain(deadline) });
 */
export function onShutdownSignal(options: ShutdownOptions): void {
  const {
    logger,
    budgetMs,
    stop,
    closeMarginMs = DEFAULT_CLOSE_MARGIN_MS,
    name = 'service',
    signals = process,
    exit = exitProcess,
    clock = Date.now,
  } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    const startedAt = clock();
    logger.info({ signal, budgetMs }, `${name}: shutting down`);
    const hardStop = setTimeout(() => {
      logger.error({ budgetMs }, 'drain budget exceeded: exiting');
      exit(1);
    }, budgetMs);
    hardStop.unref();
    stop(startedAt + budgetMs - closeMarginMs)
      .then((clean) => {
        clearTimeout(hardStop);
        logger.info({ clean, durationMs: clock() - startedAt }, `${name} stopped`);
        exit(clean ? 0 : 1);
      })
      .catch((error: unknown) => {
        clearTimeout(hardStop);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      });
  };
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
}
