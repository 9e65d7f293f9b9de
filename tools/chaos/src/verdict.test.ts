import { describe, expect, it } from 'vitest';
import type { SentMessage } from './producer';
import { judgeStores, type StoreSnapshot } from './verdict';

const sent = (id: string, critical = false): SentMessage => ({
  id,
  seq: `s-${id}`,
  channel: 'c0',
  critical,
});
const acknowledged = new Map([sent('a', true), sent('b'), sent('c')].map((m) => [m.id, m]));
const clean: StoreSnapshot = {
  rows: [...acknowledged.values()].map((m) => ({ id: m.id, seq: m.seq })),
  statuses: new Map([...acknowledged.keys()].map((id) => [id, 'stored'])),
  channels: [
    { channel: 'c0', counted: 3, pgCount: 3, pgLast: 't', dynamoCount: 3, dynamoLast: 't' },
  ],
  alerted: new Set(['a']),
  deadLettered: 0,
};

describe('judgeStores', () => {
  it('passes when every acknowledged id is stored once and the metadata agrees', () => {
    expect(judgeStores(acknowledged, clean)).toMatchObject({
      stored: 3,
      lost: 0,
      duplicates: 0,
      failures: [],
    });
  });

  it('names lost ids, doubled rows, missing statuses, stats drift, missed alerts and dead letters', () => {
    const verdict = judgeStores(acknowledged, {
      rows: [
        { id: 'a', seq: 's-a' },
        { id: 'b', seq: 's-b' },
        { id: 'x', seq: 's-b' },
      ],
      statuses: new Map([
        ['a', 'stored'],
        ['b', 'rejected'],
      ]),
      channels: [
        { channel: 'c0', counted: 3, pgCount: 2, pgLast: 't', dynamoCount: 1, dynamoLast: 't' },
      ],
      alerted: new Set(),
      deadLettered: 1,
    });
    expect(verdict).toMatchObject({ stored: 2, lost: 1, lostIds: ['c'], duplicateIds: ['b', 'x'] });
    expect(verdict.failures.join('\n')).toMatch(/1 acknowledged id\(s\) not stored: c/);
    expect(verdict.failures.join('\n')).toMatch(/doubled\): b, x/);
    expect(verdict.failures.join('\n')).toMatch(/b=rejected/);
    expect(verdict.failures.join('\n')).toMatch(/channel_stats 2 ≠ count\(\*\) 3/);
    expect(verdict.failures.join('\n')).toMatch(/DynamoDB 1@t ≠ PostgreSQL 2@t/);
    expect(verdict.failures.join('\n')).toMatch(/critical message\(s\) never alerted: a/);
    expect(verdict.failures.join('\n')).toMatch(/DLQ gained 1/);
  });

  it('expects the dead letters it is told to expect', () => {
    expect(judgeStores(acknowledged, { ...clean, deadLettered: 1 }, 1).failures).toEqual([]);
  });
});
