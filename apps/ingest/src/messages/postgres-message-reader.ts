import { and, eq, sql } from 'drizzle-orm';
import type { StoredMessage } from '@herald/contracts';
import { messages, type Database, type MessageRow } from '@herald/db';
import { DependencyUnavailableError } from '../errors/api-error';
import type { HistoryPosition, MessageReader } from './message-reader';

const columns = {
  id: messages.id,
  channel: messages.channel,
  body: messages.body,
  sender: messages.sender,
  attributes: messages.attributes,
  priority: messages.priority,
  acceptedAt: messages.acceptedAt,
  storedAt: messages.storedAt,
};

type Row = Pick<MessageRow, keyof typeof columns>;

function toStoredMessage(row: Row): StoredMessage {
  return {
    id: row.id,
    channel: row.channel,
    body: row.body as StoredMessage['body'],
    sender: row.sender,
    attributes: row.attributes,
    priority: row.priority,
    acceptedAt: row.acceptedAt.toISOString(),
    storedAt: row.storedAt.toISOString(),
  };
}

/**
 * One page of a channel's history, newest first, as a keyset query on messages_history_idx.
 * Exported so a test can EXPLAIN exactly this query.
 */
export function historyQuery(
  db: Database,
  tenant: string,
  channel: string,
  page: { limit: number; after?: HistoryPosition },
) {
  const { after } = page;
  // A row comparison is one index condition on (accepted_at, id): the scan starts at the cursor.
  const beforeCursor = after
    ? sql`(${messages.acceptedAt}, ${messages.id}) < (${after.acceptedAt.toISOString()}::timestamptz, ${after.id}::uuid)`
    : undefined;
  return (
    db
      .select(columns)
      .from(messages)
      .where(and(eq(messages.tenant, tenant), eq(messages.channel, channel), beforeCursor))
      // NULLS LAST as in messages_history_idx (plain DESC means NULLS FIRST, which would sort).
      .orderBy(sql`${messages.acceptedAt} desc nulls last`, sql`${messages.id} desc nulls last`)
      .limit(page.limit)
  );
}

/** Messages in PostgreSQL, through the ingest's read-only role. */
export class PostgresMessageReader implements MessageReader {
  constructor(private readonly db: Database) {}

  async findById(tenant: string, id: string): Promise<StoredMessage | undefined> {
    const rows = await this.#query(() =>
      this.db
        .select(columns)
        .from(messages)
        .where(and(eq(messages.id, id), eq(messages.tenant, tenant)))
        .limit(1),
    );
    const row = rows[0];
    return row ? toStoredMessage(row) : undefined;
  }

  async history(
    tenant: string,
    channel: string,
    page: { limit: number; after?: HistoryPosition },
  ): Promise<StoredMessage[]> {
    const rows = await this.#query(() => historyQuery(this.db, tenant, channel, page));
    return rows.map(toStoredMessage);
  }

  async #query<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new DependencyUnavailableError('postgres', { cause: error });
    }
  }
}
