import type { HistoryPosition } from './message-reader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const VERSION = 'v1';

/** An opaque cursor for the page after `position`: base64url of `v1|<epoch ms>|<id>`. */
export function encodeHistoryCursor(position: HistoryPosition): string {
  return Buffer.from(`${VERSION}|${position.acceptedAt.getTime()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
}

/** The position a cursor names, or undefined when it is not one this API issued. */
export function decodeHistoryCursor(cursor: string): HistoryPosition | undefined {
  if (!BASE64URL.test(cursor)) return undefined;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, millis = '', id = ''] = parts;
  if (!/^\d{1,15}$/.test(millis) || !UUID.test(id)) return undefined;
  const acceptedAt = new Date(Number(millis));
  if (Number.isNaN(acceptedAt.getTime())) return undefined;
  return { acceptedAt, id };
}
