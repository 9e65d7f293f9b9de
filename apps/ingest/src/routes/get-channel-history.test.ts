import { describe, expect, it } from 'vitest';
import { historyPageSchema, type HistoryPage } from '@herald/contracts';
import { getWith, KEYS, testApp, type TestApp } from '../../test/fakes';

function seed(target: TestApp, tenant: string, channel: string, count: number): void {
  for (let i = 0; i < count; i += 1) {
    target.messages.rows.push({
      tenant,
      id: `0193a1b2-0000-7000-8000-${String(i).padStart(12, '0')}`,
      channel,
      body: `m${i}`,
      sender: null,
      attributes: {},
      priority: 'normal',
      // Pairs share a timestamp, so the id must break ties.
      acceptedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 1000).toISOString(),
      storedAt: '2026-02-01T00:00:00.000Z',
    });
  }
}

async function page(
  target: TestApp,
  query: string,
  key: string = KEYS.reader,
): Promise<HistoryPage> {
  const response = await target.app.request(`/v1/channels/orders/messages${query}`, getWith(key));
  expect(response.status).toBe(200);
  return historyPageSchema.parse(await response.json());
}

describe('GET /v1/channels/{channel}/messages', () => {
  it('pages through the whole history newest first with opaque cursors', async () => {
    const target = testApp();
    seed(target, 'acme', 'orders', 7);
    seed(target, 'acme', 'other', 3);
    const bodies: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const current: HistoryPage = await page(
        target,
        `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      bodies.push(...current.items.map((item) => item.body));
      cursor = current.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages += 1;
    } while (cursor && pages < 10);
    expect(bodies).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    expect(pages).toBe(3);
  });

  it('uses the default page size and ends with a null cursor', async () => {
    const target = testApp();
    seed(target, 'acme', 'orders', 2);
    const result = await page(target, '');
    expect(result.items).toHaveLength(2);
    expect(result.nextCursor).toBeNull();
  });

  it('shows another tenant nothing of this tenant’s channel', async () => {
    const target = testApp();
    seed(target, 'acme', 'orders', 3);
    expect((await page(target, '', KEYS.other)).items).toEqual([]);
  });
});
