import '@herald/testing';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool } from './client';
import { provisionRoles, runMigrations } from './migrate';

const stack = inject('stack');
const pools: pg.Pool[] = [];

function pool(url: string): pg.Pool {
  const created = createPool({ connectionString: url, max: 2 });
  pools.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe('migrations and roles', () => {
  it('creates the tables, the history index and the unsynced-channels index', async () => {
    const { rows } = await pool(stack.databaseUrl).query<{ indexname: string }>(
      "select indexname from pg_indexes where tablename in ('messages', 'api_keys', 'channel_stats') order by 1",
    );
    expect(rows.map((row) => row.indexname)).toEqual(
      expect.arrayContaining([
        'messages_history_idx',
        'messages_pkey',
        'api_keys_secret_hash_unique',
        'channel_stats_tenant_channel_pk',
        'channel_stats_unsynced_idx',
      ]),
    );
  });

  it('are idempotent: running migrations and provisioning again changes nothing', async () => {
    const owner = pool(stack.databaseUrl);
    await runMigrations(owner);
    await provisionRoles(owner, { reader: { user: 'herald_reader', password: 'herald_reader' } });
    const { rows } = await owner.query<{ count: string }>(
      'select count(*) from drizzle.__drizzle_migrations',
    );
    expect(Number(rows[0]?.count)).toBeGreaterThanOrEqual(1);
  });

  it('lets the writer insert and read messages but not change the schema', async () => {
    const writer = pool(stack.writerDatabaseUrl);
    const id = randomUUID();
    await writer.query(
      "insert into messages (id, tenant, channel, body, priority, accepted_at) values ($1, 'roles-test', 'c', '\"x\"', 'low', now())",
      [id],
    );
    const { rowCount } = await writer.query('select 1 from messages where id = $1', [id]);
    expect(rowCount).toBe(1);
    await expect(writer.query('create table intruder (id int)')).rejects.toMatchObject({
      code: '42501',
    });
    await writer.query('delete from messages where id = $1', [id]);
  });

  it('lets the writer record what the channel flusher copied (channel_stats.synced_count)', async () => {
    const writer = pool(stack.writerDatabaseUrl);
    const tenant = `roles-${randomUUID()}`;
    await writer.query(
      "insert into channel_stats (tenant, channel, message_count, last_message_at) values ($1, 'c', 3, now())",
      [tenant],
    );
    const { rows } = await writer.query<{ synced_count: string }>(
      "update channel_stats set synced_count = 3 where tenant = $1 and channel = 'c' returning synced_count",
      [tenant],
    );
    expect(rows.map((row) => Number(row.synced_count))).toEqual([3]);
    await writer.query('delete from channel_stats where tenant = $1', [tenant]);
  });

  it('lets the reader select but never write', async () => {
    const reader = pool(stack.readerDatabaseUrl);
    await expect(reader.query('select count(*) from messages')).resolves.toBeDefined();
    await expect(reader.query('select count(*) from api_keys')).resolves.toBeDefined();
    await expect(
      reader.query(
        "insert into messages (id, tenant, channel, body, priority, accepted_at) values (gen_random_uuid(), 't', 'c', '1', 'low', now())",
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(reader.query('update api_keys set revoked_at = now()')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(reader.query('delete from channel_stats')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('rejects role names that are not plain identifiers', async () => {
    await expect(
      provisionRoles(pool(stack.databaseUrl), {
        reader: { user: 'bad"; drop table messages; --', password: 'x' },
      }),
    ).rejects.toThrow(/invalid PostgreSQL identifier/);
  });
});

describe('provisionRoles with create-only passwords', () => {
  it('creates a missing role with the password but never re-passwords an existing one', async () => {
    const owner = pool(stack.databaseUrl);
    const user = `rotated_${Math.random().toString(36).slice(2, 8)}`;
    await provisionRoles(
      owner,
      { reader: { user, password: 'first' } },
      { passwords: 'create-only' },
    );
    await provisionRoles(
      owner,
      { reader: { user, password: 'second' } },
      { passwords: 'create-only' },
    );
    const url = new URL(stack.databaseUrl);
    url.username = user;
    url.password = 'first';
    const rotated = pool(url.toString());
    await expect(rotated.query('select count(*) from messages')).resolves.toBeDefined();
    url.password = 'second';
    await expect(pool(url.toString()).query('select 1')).rejects.toMatchObject({ code: '28P01' });
    await owner.query(`drop owned by ${user}; drop role ${user}`);
  });
});

describe('createPool', () => {
  it('survives the server killing a checked-out connection, and reconnects', async () => {
    const owner = pool(stack.databaseUrl);
    const victim = pool(stack.databaseUrl);
    const held = await victim.connect();
    const pid = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    // As a database restart or failover does: the server ends the session under a checked-out client.
    await owner.query('select pg_terminate_backend($1)', [pid]);
    await new Promise((done) => setTimeout(done, 200));
    held.release(true);
    await expect(victim.query('select 1 as ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  });
});
