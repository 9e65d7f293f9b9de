import { describe, expect, it } from 'vitest';
import { fakeFetch, jsonResponse, runCommand, type FetchCall } from '../../../test/run-command';
import { tailCommand } from './tail';

interface Stored {
  id: string;
  acceptedAt: string;
  body: unknown;
}

/** A channel history as the ingest serves it: newest first, by (acceptedAt, id), paged. */
function historyServer(stored: Stored[]) {
  return (call: FetchCall): Response => {
    const limit = Number(call.url.searchParams.get('limit') ?? 25);
    const start = Number(call.url.searchParams.get('cursor') ?? 0);
    const sorted = [...stored].sort(
      (a, b) => b.acceptedAt.localeCompare(a.acceptedAt) || b.id.localeCompare(a.id),
    );
    const items = sorted.slice(start, start + limit).map((message) => ({
      channel: 'orders',
      sender: null,
      attributes: {},
      priority: 'normal',
      storedAt: message.acceptedAt,
      ...message,
    }));
    const nextCursor = start + limit < sorted.length ? String(start + limit) : null;
    return jsonResponse(200, { items, nextCursor });
  };
}

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, second)).toISOString();
const message = (n: number, second = n) => ({
  id: `m${String(n).padStart(3, '0')}`,
  acceptedAt: at(second),
  body: n,
});

describe('herald tail', () => {
  it('prints the newest n first, then new messages oldest first, including late-stored ones', async () => {
    const stored = [message(1), message(2), message(3)];
    const fetch = fakeFetch(historyServer(stored));
    let polls = 0;
    const wrapped = fakeFetch((call) => {
      polls += 1;
      // After the first poll, messages arrive: one accepted before the newest seen (stored late).
      if (polls === 2) stored.push(message(5), message(4, 2));
      if (polls === 3) stored.push(message(6));
      return fetch(call.url, {});
    });
    const result = await runCommand(
      tailCommand,
      ['orders', '-n', '2', '--interval', '100', '--count', '3', '--json'],
      {
        fetch: wrapped,
      },
    );
    expect(result.error).toBeUndefined();
    const bodies = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { body: number }).body);
    expect(bodies).toEqual([2, 3, 4, 5, 6]);
    expect(wrapped.calls[0]?.url.searchParams.get('limit')).toBe('100');
  });

  it('walks older pages of the first poll so a busy channel is not printed twice', async () => {
    const stored = Array.from({ length: 250 }, (_, i) => message(i, Math.floor(i / 10)));
    const fetch = fakeFetch(historyServer(stored));
    let calls = 0;
    const wrapped = fakeFetch((call) => {
      calls += 1;
      if (calls === 4) stored.push(message(999, 30));
      return fetch(call.url, {});
    });
    const result = await runCommand(
      tailCommand,
      ['orders', '-n', '0', '--interval', '100', '--count', '1'],
      {
        fetch: wrapped,
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.stdout.trim().split('\n')).toEqual([`${at(30)}  m999  normal    999`]);
  });

  it('stops cleanly when stopped (Ctrl-C) while waiting or polling', async () => {
    const controller = new AbortController();
    const fetch = fakeFetch(historyServer([message(1)]));
    setTimeout(() => {
      controller.abort();
    }, 300);
    const result = await runCommand(tailCommand, ['orders', '--interval', '100'], {
      fetch,
      stop: controller.signal,
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe(`${at(1)}  m001  normal    1\n`);
    expect(fetch.calls.length).toBeGreaterThan(1);
  });

  it('rejects a bad number', async () => {
    const result = await runCommand(tailCommand, ['orders', '--interval', '5']);
    expect(result.stderr).toMatch(
      /option '--interval <ms>' argument '5' is invalid. expected a whole number ≥ 100/,
    );
  });
});
