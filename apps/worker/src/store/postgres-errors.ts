import { MessageStoreError } from '../errors';

/** The driver error under drizzle's wrapper (whose message carries every bound parameter). */
export interface DriverError {
  readonly code?: string;
  readonly message: string;
}

/** Walks the cause chain to the pg (or socket) error, never keeping drizzle's message. */
export function driverErrorOf(error: unknown): DriverError {
  let current: unknown = error;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return { code, message: current.message };
    if (!('query' in current)) message ??= current.message;
    current = current.cause;
  }
  return { message: message ?? 'query failed' };
}

/**
 * True when PostgreSQL refused the data itself (SQLSTATE class 22 data exception, 23 integrity
 * violation, 54 program limit): retrying the same row fails the same way, so the batch is split
 * to let the other rows through. Anything else (connections, timeouts, 57P01 shutdown) is
 * transient: the whole batch waits for redelivery.
 */
export function isRowRejection(error: DriverError): boolean {
  const code = error.code ?? '';
  return (
    /^[0-9A-Z]{5}$/.test(code) &&
    (code.startsWith('22') || code.startsWith('23') || code.startsWith('54'))
  );
}

/** Keeps drizzle's message (it lists every bound parameter: whole bodies) out of logs. */
export function storeFailure(what: string, driver: DriverError): MessageStoreError {
  const code = driver.code ? ` (${driver.code})` : '';
  return new MessageStoreError(`${what} failed${code}: ${driver.message}`);
}
