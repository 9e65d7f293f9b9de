import type { Server } from 'node:http';
import type { Logger } from '@herald/observability';
import type { Lifecycle } from './lifecycle';

export interface DrainOptions {
  readonly server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;
  readonly lifecycle: Lifecycle;
  /** Flushes the batcher (after the last in-flight request has handed over its messages). */
  readonly flushQueue: () => Promise<void>;
  /** Closes clients and pools, last. */
  readonly closeClients: () => Promise<void>;
  readonly logger: Logger;
  /** Wait after readiness turns 503 before closing the listener (load balancer deregistration). */
  readonly delayMs: number;
  /** Everything must be done by then; past it, connections are cut and `onTimeout` runs. */
  readonly budgetMs: number;
  readonly onTimeout: () => void;
}

/**
 * Graceful shutdown (docs/invariants.md#8): readiness off, stop accepting, let in-flight requests finish
 * (their messages reach SQS before they answer), flush the batcher, close clients. A timer cuts
 * everything at the budget.
 */
export async function drain(options: DrainOptions): Promise<void> {
  const { server, lifecycle, logger } = options;
  const started = performance.now();
  const deadline = setTimeout(() => {
    logger.error({ budgetMs: options.budgetMs }, 'drain budget exceeded: forcing exit');
    server.closeAllConnections();
    options.onTimeout();
  }, options.budgetMs);
  deadline.unref();
  lifecycle.startDraining();
  logger.info({ delayMs: options.delayMs }, 'draining: readiness is now 503');
  if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  // Keep-alive connections with no request in flight would hold close() open.
  server.closeIdleConnections();
  await closed;
  logger.info('listener closed; in-flight requests finished');
  await options.flushQueue();
  await options.closeClients();
  clearTimeout(deadline);
  logger.info({ ms: Math.round(performance.now() - started) }, 'drained');
}
