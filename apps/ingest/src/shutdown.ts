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
  /**
   * Epoch ms by which in-flight requests must have finished: past it, their connections are cut
   * (their messages were not acknowledged) and the drain reports that it abandoned something.
   */
  readonly deadline: number;
}

/**
 * Graceful shutdown (docs/invariants.md#8): readiness off, stop accepting, let in-flight requests finish
 * (their messages reach SQS before they answer), flush the batcher, close clients. Resolves true
 * when nothing was abandoned; at the deadline the connections still open are cut and it resolves
 * false. `onShutdownSignal` (`@herald/lifecycle`) runs it and turns that into the exit code.
 */
export async function drain(options: DrainOptions): Promise<boolean> {
  const { server, lifecycle, logger } = options;
  const started = performance.now();
  let abandoned = false;
  const deadline = setTimeout(
    () => {
      abandoned = true;
      logger.error('drain deadline reached: cutting the connections still open');
      server.closeAllConnections();
    },
    Math.max(0, options.deadline - Date.now()),
  );
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
  logger.info({ ms: Math.round(performance.now() - started), abandoned }, 'drained');
  return !abandoned;
}
