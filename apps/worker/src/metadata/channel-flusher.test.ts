import { describe, expect, it } from 'vitest';
import { captureLogger, FakeMessageStore, FakeMetadataStore, envelope } from '../../test/fakes';
import type { ChannelSync } from '../store/channel-sync';
import { ChannelFlusher } from './channel-flusher';

function setup(pageSize = 500, intervalMs = 1_000) {
  const store = new FakeMessageStore();
  const metadata = new FakeMetadataStore();
  const { logger, lines } = captureLogger();
  const flusher = new ChannelFlusher(
    { channels: store, metadata, logger, clock: Date.now },
    { intervalMs, pageSize },
  );
  return { store, metadata, flusher, lines };
}

/** Commits `count` messages to `channel` in the in-memory PostgreSQL, one batch each. */
async function commit(store: FakeMessageStore, channel: string, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) await store.store([envelope({ channel })]);
}

describe('ChannelFlusher', () => {
  it('copies each channel that is ahead once, however many batches moved it, and records it', async () => {
    const { store, metadata, flusher } = setup();
    await commit(store, 'orders', 30);
    await commit(store, 'billing', 5);
    expect(await flusher.flush()).toEqual({ ahead: 2, copied: 2, failed: 0 });
    expect(metadata.writes).toBe(2);
    expect(metadata.channels.get('acme/orders')).toEqual(store.totals.get('acme/orders'));
    expect(metadata.channels.get('acme/billing')?.messageCount).toBe(5);
    // Nothing ahead any more: the next flush writes nothing.
    expect(await flusher.flush()).toEqual({ ahead: 0, copied: 0, failed: 0 });
    expect(metadata.writes).toBe(2);
  });

  it('leaves a channel whose DynamoDB write failed ahead, and copies it on the next flush', async () => {
    const { store, metadata, flusher, lines } = setup();
    await commit(store, 'orders', 2);
    await commit(store, 'billing', 1);
    metadata.failWhen = (operation, key) =>
      operation === 'putChannelTotals' && key === 'acme/orders';
    expect(await flusher.flush()).toEqual({ ahead: 2, copied: 1, failed: 1 });
    expect(
      lines.some(
        (line) => line.msg === 'channel totals not copied to DynamoDB; the next flush retries them',
      ),
    ).toBe(true);
    metadata.failWhen = () => false;
    expect(await flusher.flush()).toEqual({ ahead: 1, copied: 1, failed: 0 });
    expect(metadata.channels.get('acme/orders')?.messageCount).toBe(2);
  });

  it('copies again, harmlessly, what a flush killed between the DynamoDB write and the record had written', async () => {
    const store = new FakeMessageStore();
    const metadata = new FakeMetadataStore();
    const dying: ChannelSync = {
      unsynced: (limit) => store.unsynced(limit),
      markSynced: () => Promise.reject(new Error('killed')),
    };
    const logger = captureLogger().logger;
    await commit(store, 'orders', 3);
    const first = new ChannelFlusher(
      { channels: dying, metadata, logger, clock: Date.now },
      { intervalMs: 1_000 },
    );
    await expect(first.flush()).rejects.toThrow('killed');
    await commit(store, 'orders', 1);
    // The next worker's flusher finds the channel still ahead.
    const next = new ChannelFlusher(
      { channels: store, metadata, logger, clock: Date.now },
      { intervalMs: 1_000 },
    );
    expect(await next.flush()).toMatchObject({ copied: 1 });
    expect(metadata.channels.get('acme/orders')?.messageCount).toBe(4);
    expect(await store.unsynced(10)).toEqual([]);
  });

  it('never moves DynamoDB backwards: an older copy finds a newer one there and is recorded as synced', async () => {
    const { store, metadata, flusher } = setup();
    await commit(store, 'orders', 2);
    const newer = { ...store.totals.get('acme/orders')!, messageCount: 9 };
    metadata.channels.set('acme/orders', newer);
    expect(await flusher.flush()).toMatchObject({ copied: 1, failed: 0 });
    expect(metadata.channels.get('acme/orders')?.messageCount).toBe(9);
    expect(await store.unsynced(10)).toEqual([]);
  });

  it('flushes page after page when more channels are ahead than one read returns', async () => {
    const { store, metadata, flusher } = setup(2, 60_000);
    for (const channel of ['a', 'b', 'c', 'd', 'e']) await commit(store, channel, 1);
    flusher.start();
    // The first flush runs at once and a full page is followed at once by the next.
    for (let wait = 0; wait < 100 && metadata.channels.size < 5; wait += 1)
      await new Promise((done) => setTimeout(done, 10));
    expect(metadata.channels.size).toBe(5);
    expect(await flusher.stop(Date.now() + 1_000)).toBe(true);
  });

  it('on stop, flushes what the last batches committed before it returns', async () => {
    const { store, metadata, flusher } = setup(500, 60_000);
    flusher.start();
    await new Promise((done) => setTimeout(done, 20));
    await commit(store, 'orders', 4);
    expect(metadata.channels.size).toBe(0);
    expect(await flusher.stop(Date.now() + 1_000)).toBe(true);
    expect(metadata.channels.get('acme/orders')?.messageCount).toBe(4);
  });

  it('on stop, answers false when DynamoDB could not take the final flush', async () => {
    const { store, metadata, flusher } = setup();
    await commit(store, 'orders', 1);
    metadata.failWhen = () => true;
    expect(await flusher.stop(Date.now() + 1_000)).toBe(false);
    expect(await store.unsynced(10)).toHaveLength(1);
  });
});
