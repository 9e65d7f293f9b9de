/**
 * The epoch-ms timestamp of a UUIDv7 (its first 48 bits), or undefined for any other version:
 * ingest's ids are UUIDv7 minted at acceptance, ids derived from an Idempotency-Key are UUIDv5.
 */
export function uuidV7Time(id: string): number | undefined {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '7') return undefined;
  return Number.parseInt(hex.slice(0, 12), 16);
}
