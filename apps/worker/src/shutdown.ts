import type { Logger } from '@herald/observability';

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Everything must be done inside this budget (SHUTDOWN.drainBudgetSeconds). */
  readonly budgetMs: number;
  /** Drains and closes; resolves true when nothing was abandoned. */
  readonly stop: (deadline: number) => Promise<boolean>;
  readonly exit?: (code: number) => void;
}

/** Time kept back from the budget for closing the pool, the health server and the clients. */
const CLOSE_MARGIN_MS = 2_000;

/**
 * On SIGTERM or SIGINT: drain with a deadline, then exit 0 (clean) or 1 (something was
 * abandoned, SQS will redeliver it). A second signal or the budget running out exits at once.
 */
export function exitOnSignal({
  logger,
  budgetMs,
  stop,
  exit = (code) => process.exit(code),
}: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    const startedAt = Date.now();
    logger.info({ signal, budgetMs }, 'shutting down: finishing the batches in hand');
    const hardStop = setTimeout(() => {
      logger.error({ budgetMs }, 'drain budget exceeded: exiting');
      exit(1);
    }, budgetMs);
    hardStop.unref();
    stop(startedAt + budgetMs - CLOSE_MARGIN_MS)
      .then((clean) => {
        logger.info({ clean, durationMs: Date.now() - startedAt }, 'worker stopped');
        exit(clean ? 0 : 1);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
