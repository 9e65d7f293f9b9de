import type { Logger } from '@herald/observability';
import type pg from 'pg';

/**
 * pg emits 'error' on a checked-out client whose connection dies between two statements (a
 * PostgreSQL restart in the middle of a transaction): the pool only listens while a client is
 * idle, so without a listener of our own that error would crash the process. The statement in
 * progress, or the next one, still fails, and the batch is left for redelivery.
 */
export function guardPoolClients(pool: pg.Pool, logger: Logger): void {
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn(
        { err: { name: error.name, message: error.message } },
        'PostgreSQL connection lost',
      );
    });
  });
}
