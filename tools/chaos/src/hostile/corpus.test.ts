import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from './corpus';
import { judgeAnswer } from './judge-answer';
import type { HostileCase } from './hostile-case';

const keys = {
  key: 'hk_test_key',
  otherTenantMessageId: '01a23318-b289-7385-baef-bd03e2a78fb3',
  revokedKey: 'hk_revoked',
  seed: 9,
  generated: 520,
  slowBoundMs: 1_000,
};

describe('buildCorpus', () => {
  const corpus = buildCorpus(keys);

  it('holds at least 500 requests with unique ids, hand-written and generated', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((item) => item.id)).size).toBe(corpus.length);
    expect(corpus.filter((item) => !item.id.startsWith('gen-')).length).toBeGreaterThan(100);
  });

  it('covers every class the issue names', () => {
    const kinds = new Set(corpus.map((item) => item.kind));
    for (const kind of [
      'null',
      'number',
      'surrogate',
      'proto',
      'cursor',
      'depth',
      'utf8',
      'nul',
      'crlf',
      'size',
      'content-type',
      'traversal',
      'tenant',
      'auth',
      'slow',
    ])
      expect(kinds).toContain(kind);
  });

  it('tags the cases that reproduced issue 9 defects, so a failure names the regression', () => {
    const defects = new Set(corpus.flatMap((item) => (item.defect ? [item.defect] : [])));
    expect([...defects].sort()).toEqual([1, 2, 3, 4, 6, 8, 9]);
    expect(corpus.find((item) => item.id === 'null-body')?.defect).toBe(1);
    expect(corpus.find((item) => item.id === 'nested-null')?.defect).toBeUndefined();
  });

  // A CI run's seed generated a body holding -0: JSON.stringify sent it as 0, which was stored as
  // 0, and the case expected -0 back ("regression of issue 9 defect 3" that was none).
  it('expects of each generated body what its request carries', () => {
    let compared = 0;
    for (const seed of [888264843, ...Array.from({ length: 30 }, (_, index) => index + 1)]) {
      for (const item of buildCorpus({ ...keys, seed })) {
        if (item.kind !== 'generated-body' || !item.stored || !('body' in item.stored)) continue;
        const raw = item.request.toString('utf8');
        const sent = (JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { body: unknown }).body;
        expect(isDeepStrictEqual(item.stored.body, sent), item.id).toBe(true);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it('is the same corpus for the same seed', () => {
    const again = buildCorpus(keys);
    expect(again.map((item) => item.id)).toEqual(corpus.map((item) => item.id));
    const bytes = (list: HostileCase[]) =>
      list.map((item) =>
        Buffer.isBuffer(item.request) ? item.request.toString('base64') : item.id,
      );
    expect(bytes(again)).toEqual(bytes(corpus));
  });
});

describe('judgeAnswer', () => {
  const reject = { id: 'r', kind: 'json', request: Buffer.alloc(0), expect: 'reject' } as const;
  const faithful = { ...reject, expect: 'faithful' } as const;
  const problem = (status: number) => ({
    kind: 'response' as const,
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ status, code: 'validation_failed' }),
    ms: 1,
  });

  it('accepts a 4xx problem document for a rejection', () => {
    expect(judgeAnswer(reject, problem(422))).toEqual({ accepted: [] });
  });

  it('fails a 5xx, a plain 4xx, a hang and a silent close, saying which', () => {
    expect(judgeAnswer(reject, problem(503)).failure).toMatch(/answered 503/);
    expect(judgeAnswer(reject, { ...problem(400), headers: {} }).failure).toMatch(
      /without a problem document/,
    );
    expect(judgeAnswer(reject, { kind: 'timeout', ms: 20 }).failure).toMatch(/held open/);
    expect(judgeAnswer(reject, { kind: 'closed', ms: 3, detail: 'ECONNRESET' }).failure).toMatch(
      /closed without an answer \(ECONNRESET\)/,
    );
    expect(
      judgeAnswer({ ...reject, expect: 'reject-or-close' }, { kind: 'closed', ms: 3, detail: 'x' })
        .failure,
    ).toBeUndefined();
  });

  it('returns the ids a faithful case got acknowledged, singles and batch entries', () => {
    const single = {
      kind: 'response' as const,
      status: 202,
      headers: {},
      body: '{"id":"m1"}',
      ms: 1,
    };
    expect(judgeAnswer(faithful, single).accepted).toEqual([{ id: 'm1', index: 0 }]);
    const batch = {
      ...single,
      body: JSON.stringify({
        results: [
          { index: 0, status: 'rejected' },
          { index: 1, status: 'accepted', id: 'm2' },
        ],
      }),
    };
    expect(judgeAnswer(faithful, batch).accepted).toEqual([{ id: 'm2', index: 1 }]);
    expect(judgeAnswer(reject, single).failure).toMatch(/expected a 4xx, got 202/);
  });
});
