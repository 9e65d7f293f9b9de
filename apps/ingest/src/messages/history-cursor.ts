import type { HistoryPosition } from './message-reader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const VERSION = 'v1';
/** The last millisecond of year 9999: later instants print as `+010000-…`, which PostgreSQL misreads. */
const MAX_MILLIS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An opaque cursor for the page after `position`: base64url of `v1|<epoch ms>|<id>`. */
export function encodeHistoryCursor(position: HistoryPosition): string {
  return Buffer.from(`${VERSION}|${position.acceptedAt.getTime()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
}

/**
 * The position a cursor names, or undefined when it is not one this API issued: every field is
 * checked (a time PostgreSQL cannot read would otherwise surface as a database error, a 503).
 */
export function decodeHistoryCursor(cursor: string): HistoryPosition | undefined {
  if (!BASE64URL.test(cursor)) return undefined;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, millis = '', id = ''] = parts;
  if (!/^(?:0|[1-9]\d{0,14})$/.test(millis) || !UUID.test(id)) return undefined;
  const time = Number(millis);
  if (time > MAX_MILLIS) return undefined;
  const position = { acceptedAt: new Date(time), id };
  // Only the exact text this API issues: no padding, no trailing bytes, one spelling per position.
  return encodeHistoryCursor(position) === cursor ? position : undefined;
}
