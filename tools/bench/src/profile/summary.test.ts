import { describe, expect, it } from 'vitest';
import { areaOf, type CpuProfile, summarizeProfile } from './summary';

const WS = '/work/herald';
const file = (path: string) => `file://${WS}/${path}`;

describe('areaOf', () => {
  it.each([
    [file('node_modules/@smithy/core/dist-cjs/index.js'), '@aws-sdk+@smithy'],
    [file('node_modules/@aws-sdk/client-sqs/dist-cjs/index.js'), '@aws-sdk+@smithy'],
    [file('node_modules/@hono/node-server/dist/index.mjs'), '@hono/node-server'],
    [file('node_modules/hono/dist/hono-base.js'), 'hono'],
    [file('node_modules/zod/v4/core/parse.js'), 'zod'],
    [file('node_modules/pino/lib/proto.js'), 'pino/logging'],
    [file('node_modules/sonic-boom/index.js'), 'pino/logging'],
    [file('node_modules/pg-protocol/dist/parser.js'), 'pg'],
    [file('node_modules/drizzle-orm/pg-core/session.js'), 'drizzle'],
    [file('node_modules/left-pad/index.js'), 'left-pad'],
    [file('apps/ingest/src/app.ts'), 'herald code'],
    [file('libs/contracts/src/envelope.ts'), 'herald code'],
    ['node:internal/streams/writable', 'node internals'],
    ['file:///elsewhere/x.js', 'other'],
  ])('puts %s in %s', (url, area) => {
    expect(areaOf(url, 'fn', WS)).toBe(area);
  });

  it('names the V8 pseudo-frames and leaves a URL-less builtin to its caller', () => {
    expect(areaOf('', '(garbage collector)', WS)).toBe('GC');
    expect(areaOf('', '(idle)', WS)).toBe('(idle)');
    expect(areaOf('', 'writev', WS)).toBeUndefined();
  });
});

/**
 * root ─┬─ (idle) 2
 *       ├─ (garbage collector) 3
 *       └─ pino write 4 ── writev (native) 5
 *                       └─ hono 6
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 3, 4] },
    { id: 2, callFrame: { functionName: '(idle)', url: '' } },
    { id: 3, callFrame: { functionName: '(garbage collector)', url: '' } },
    {
      id: 4,
      callFrame: { functionName: 'write', url: file('node_modules/pino/lib/proto.js') },
      children: [5, 6],
    },
    { id: 5, callFrame: { functionName: 'writev', url: '' } },
    { id: 6, callFrame: { functionName: 'dispatch', url: file('node_modules/hono/dist/x.js') } },
  ],
  startTime: 1_000,
  endTime: 2_000,
  // Sample times: 1100, 1200, 1300, 1400, 1500, 1600 (each stands for the 100 µs before it).
  samples: [5, 2, 3, 6, 5, 6],
  timeDeltas: [100, 100, 100, 100, 100, 100],
};

describe('summarizeProfile', () => {
  it('sums self time by area inside the windows, idle left out, a builtin counted for its caller', () => {
    const summary = summarizeProfile(profile, [{ startUs: 1_000, endUs: 2_000 }], WS);
    expect(summary.busyMicros).toBe(500);
    expect(Object.fromEntries(summary.areas.map((a) => [a.area, a.selfMicros]))).toEqual({
      'pino/logging': 200,
      hono: 200,
      GC: 100,
    });
    expect(summary.areas[0]?.percent).toBe(40);
    expect(summary.topFunctions[0]?.area).toMatch(/^(writev \(pino\/logging\)|dispatch \(hono\))$/);
  });

  it('counts only the samples inside a window', () => {
    const summary = summarizeProfile(profile, [{ startUs: 1_350, endUs: 1_550 }], WS);
    expect(Object.fromEntries(summary.areas.map((a) => [a.area, a.selfMicros]))).toEqual({
      hono: 100,
      'pino/logging': 100,
    });
  });

  it('charges node internals to the package that called into node, and keeps what node runs itself', () => {
    const sdk = `file://${WS}/node_modules/@smithy/node-http-handler/x.js`;
    const viaNode: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 4] },
        { id: 2, callFrame: { functionName: 'handle', url: sdk }, children: [3] },
        { id: 3, callFrame: { functionName: 'write', url: 'node:net' }, children: [5] },
        { id: 4, callFrame: { functionName: 'onread', url: 'node:internal/stream_base_commons' } },
        { id: 5, callFrame: { functionName: 'writev', url: '' } },
      ],
      startTime: 0,
      endTime: 300,
      samples: [5, 3, 4],
      timeDeltas: [100, 100, 100],
    };
    const summary = summarizeProfile(viaNode, [{ startUs: 0, endUs: 1_000 }], WS);
    expect(Object.fromEntries(summary.areas.map((a) => [a.area, a.selfMicros]))).toEqual({
      'node internals': 300,
    });
    expect(Object.fromEntries(summary.callers.map((a) => [a.area, a.selfMicros]))).toEqual({
      '@aws-sdk+@smithy': 200,
      'node internals': 100,
    });
  });
});
