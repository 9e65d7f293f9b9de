import { describe, expect, it } from 'vitest';
import { FakeMetadataStore } from '../../test/fakes';
import { coalesceChannelWrites } from './coalescing-metadata';
import type { ChannelTotals } from '../store/message-store';

const totals = (messageCount: number, channel = 'orders'): ChannelTotals => ({
  tenant: 'acme',
  channel,
  messageCount,
  lastMessageAt: new Date(messageCount * 1000),
});

/** A store whose channel writes finish only when the test releases them. */
function slowStore() {
  const inner = new FakeMetadataStore();
  const releases: (() => void)[] = [];
  const written: number[] = [];
  const original = inner.putChannelTotals.bind(inner);
  inner.putChannelTotals = (value, now) =>
    new Promise((resolve, reject) => {
      releases.push(() => {
        written.push(value.messageCount);
        original(value, now).then(resolve, reject);
      });
    });
  return { inner, releases, written };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('coalesceChannelWrites', () => {
  it('merges requests that arrive during a write into one write of the highest count', async () => {
    const { inner, releases, written } = slowStore();
    const store = coalesceChannelWrites(inner);
    const now = new Date();
    const first = store.putChannelTotals(totals(10), now);
    const others = [
      store.putChannelTotals(totals(30), now),
      store.putChannelTotals(totals(20), now),
    ];
    releases.shift()?.();
    await first;
    await flush();
    releases.shift()?.();
    await Promise.all(others);
    expect(written).toEqual([10, 30]);
    expect(inner.channels.get('acme/orders')?.messageCount).toBe(30);
  });

  it('keeps channels apart and rejects only the callers of a failed write', async () => {
    const inner = new FakeMetadataStore();
    inner.failWhen = (operation, key) => operation === 'putChannelTotals' && key === 'acme/broken';
    const store = coalesceChannelWrites(inner);
    const now = new Date();
    await expect(store.putChannelTotals(totals(1, 'broken'), now)).rejects.toThrow('Rate exceeded');
    await expect(store.putChannelTotals(totals(2, 'fine'), now)).resolves.toBe('written');
    inner.failWhen = () => false;
    await expect(store.putChannelTotals(totals(3, 'broken'), now)).resolves.toBe('written');
  });
});
