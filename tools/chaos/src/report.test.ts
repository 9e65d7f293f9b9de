import { describe, expect, it } from 'vitest';
import { formatReport, loadSummary, type ScenarioResult } from './report';
import { slopePerMinute } from './slope';

const row = (scenario: string, passed: boolean, failures: string[] = []): ScenarioResult => ({
  scenario,
  sent: 100,
  acknowledged: 90,
  stored: 90,
  duplicates: 0,
  lost: 0,
  deadLettered: 0,
  recoveryMs: 1_234,
  passed,
  failures,
  lostIds: [],
  duplicateIds: [],
  figures: { shedRatePercent: 12.5 },
  durationMs: 5_000,
});

describe('formatReport', () => {
  it('prints the table with every column, then the failures and figures of each scenario', () => {
    const text = formatReport({
      startedAt: '',
      finishedAt: '',
      quick: true,
      seed: 3,
      passed: false,
      results: [row('kill', true), row('hostile', false, ['null-body: answered 500'])],
    });
    expect(text.split('\n')[0]).toBe(
      '| scenario | sent | acknowledged | stored | duplicates | lost | dead-lettered | recovery | verdict |',
    );
    expect(text).toContain(
      '| kill     |  100 |           90 |     90 |          0 |    0 |             0 |    1.2 s |    PASS |',
    );
    expect(text).toContain('  FAIL null-body: answered 500');
    expect(text).toContain('shedRatePercent=12.5');
    expect(text).toContain('1 of 2 scenarios passed (seed 3)');
  });

  it('prints at most 40 failures of a scenario and says how many more the JSON holds', () => {
    const failures = Array.from({ length: 45 }, (_, index) => `case-${index}: answered 500`);
    const text = formatReport({
      startedAt: '',
      finishedAt: '',
      quick: false,
      seed: 1,
      passed: false,
      results: [row('hostile', false, failures)],
    });
    expect(text).toContain('FAIL case-39: answered 500');
    expect(text).not.toContain('case-40:');
    expect(text).toContain('… and 5 more failures (every one is in the JSON report)');
  });
});

describe('loadSummary', () => {
  it('names the memory slope of both services, the queue depth and its bound, and the shed rate', () => {
    const lines = loadSummary([
      {
        ...row('soak', true),
        figures: {
          rateMsgPerSecond: 20,
          capacityMsgPerSecond: 40,
          errorRatePercent: 0,
          ingestSlopeMBPerMin: 1.5,
          workerSlopeMBPerMin: -0.2,
          slopeJudged: true,
          maxQueueDepth: 17,
          queueDepthBound: 400,
        },
      },
      {
        ...row('burst', true),
        figures: {
          offeredPerSecond: 200,
          ingestCapacityMsgPerSecond: 40,
          shedRatePercent: 61.2,
          statuses: '{"202":800,"503":1262}',
          shedAnswers: '{"503 overloaded retry-after":1262}',
          timeouts: 0,
          connectionErrors: 0,
          firstAckAfterBurstMs: 85,
        },
      },
    ]);
    expect(lines.join('\n')).toContain('ingest 1.5 MB/min, worker -0.2 MB/min');
    expect(lines.join('\n')).toContain('queue depth max 17 (bound 400)');
    expect(lines.join('\n')).toContain(
      'shed rate 61.2 % ({"202":800,"503":1262}; {"503 overloaded retry-after":1262}), 0 timeouts',
    );
    expect(lines.join('\n')).toContain('first 202 85 ms after the burst');
    expect(loadSummary([row('kill', true)])).toEqual([]);
  });
});

describe('slopePerMinute', () => {
  it('is the least-squares growth per minute', () => {
    const samples = [0, 1, 2, 3].map((minute) => ({
      atMs: minute * 60_000,
      value: 100 + 2 * minute,
    }));
    expect(slopePerMinute(samples)).toBeCloseTo(2);
    expect(slopePerMinute(samples.slice(0, 1))).toBe(0);
  });
});
