import type { SentMessage } from './producer';

/** What the stores hold for one scenario's tenant once the queue drained. */
export interface StoreSnapshot {
  /** PostgreSQL rows of the tenant: id and the body's seq. */
  readonly rows: readonly { id: string; seq: string | null }[];
  /** DynamoDB status of each acknowledged id (undefined: no item). */
  readonly statuses: ReadonlyMap<string, string | undefined>;
  /** channel_stats beside count(*), and the DynamoDB copy, per channel. */
  readonly channels: readonly {
    channel: string;
    counted: number;
    pgCount: number;
    pgLast: string;
    dynamoCount: number | undefined;
    dynamoLast: string | undefined;
  }[];
  /** Message ids the alerts topic delivered to the mailbox. */
  readonly alerted: ReadonlySet<string>;
  /** Messages the DLQ gained during the scenario. */
  readonly deadLettered: number;
}

export interface StoreVerdict {
  readonly stored: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly lostIds: string[];
  readonly duplicateIds: string[];
  readonly failures: string[];
}

const SHOW = 10;
const list = (ids: readonly string[]) =>
  ids.slice(0, SHOW).join(', ') + (ids.length > SHOW ? `, … (${ids.length} in all)` : '');

/**
 * docs/invariants.md#2 to #4 over a snapshot: every acknowledged id stored exactly once (a second row with
 * the same seq is a duplicate), status `stored` and channel stats equal in DynamoDB and
 * PostgreSQL, every critical message alerted, and nothing dead-lettered unless `expectDead`.
 */
export function judgeStores(
  acknowledged: ReadonlyMap<string, SentMessage>,
  snapshot: StoreSnapshot,
  expectDead = 0,
): StoreVerdict {
  const failures: string[] = [];
  const rowIds = new Set(snapshot.rows.map((row) => row.id));
  const lostIds = [...acknowledged.keys()].filter((id) => !rowIds.has(id));
  const bySeq = new Map<string, string[]>();
  for (const row of snapshot.rows) {
    if (row.seq === null) continue;
    bySeq.set(row.seq, [...(bySeq.get(row.seq) ?? []), row.id]);
  }
  const duplicateIds = [...bySeq.values()].filter((ids) => ids.length > 1).flat();
  if (lostIds.length > 0)
    failures.push(`${lostIds.length} acknowledged id(s) not stored: ${list(lostIds)}`);
  if (duplicateIds.length > 0)
    failures.push(`${duplicateIds.length} row(s) share a seq (doubled): ${list(duplicateIds)}`);
  const notStored = [...acknowledged.keys()].filter(
    (id) => rowIds.has(id) && snapshot.statuses.get(id) !== 'stored',
  );
  if (notStored.length > 0)
    failures.push(
      `${notStored.length} stored id(s) without DynamoDB status stored: ${list(
        notStored.map((id) => `${id}=${snapshot.statuses.get(id) ?? 'none'}`),
      )}`,
    );
  for (const row of snapshot.channels) {
    if (row.pgCount !== row.counted)
      failures.push(
        `channel ${row.channel}: channel_stats ${row.pgCount} ≠ count(*) ${row.counted}`,
      );
    if (row.dynamoCount !== row.pgCount || row.dynamoLast !== row.pgLast)
      failures.push(
        `channel ${row.channel}: DynamoDB ${String(row.dynamoCount)}@${String(row.dynamoLast)} ≠ PostgreSQL ${row.pgCount}@${row.pgLast}`,
      );
  }
  const unalerted = [...acknowledged.values()]
    .filter(
      (message) => message.critical && rowIds.has(message.id) && !snapshot.alerted.has(message.id),
    )
    .map((message) => message.id);
  if (unalerted.length > 0)
    failures.push(`${unalerted.length} critical message(s) never alerted: ${list(unalerted)}`);
  if (snapshot.deadLettered !== expectDead)
    failures.push(`the DLQ gained ${snapshot.deadLettered} message(s), expected ${expectDead}`);
  const stored = [...acknowledged.keys()].filter((id) => rowIds.has(id)).length;
  return {
    stored,
    duplicates: duplicateIds.length,
    lost: lostIds.length,
    lostIds,
    duplicateIds,
    failures,
  };
}
