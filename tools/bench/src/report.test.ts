import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoundNote, renderMarkdown, type BenchReport } from './report';

async function fixture(): Promise<BenchReport> {
  const text = await readFile(join(import.meta.dirname, 'fixtures', 'bench-after.json'), 'utf8');
  return JSON.parse(text) as BenchReport;
}

describe('renderMarkdown', () => {
  it('judges every target of a full run', async () => {
    const markdown = renderMarkdown({ ...(await fixture()), quick: false });
    expect(markdown).toContain('| target | measured | met | what holds it back |');
    expect(markdown).toMatch(
      /\| ≤ 0\.35 SQS requests per message end to end \| [\d.]+ \| (yes|no) \|/,
    );
  });

  // A one-second quick run in .ci/run printed "worker drain ≥ 1.2 × ingest: yes (30.56 ×)".
  it('judges no target of a quick run', async () => {
    const markdown = renderMarkdown({ ...(await fixture()), quick: true });
    expect(markdown).toContain('Not judged in a quick run');
    expect(markdown).not.toContain('| target | measured | met |');
    expect(markdown).not.toMatch(/\| (yes|no) \|/);
  });
});

describe('loadBoundNote', () => {
  // Every full run of this session stopped at its first step (273 → 242, 285 → 253, 217 → 192):
  // the load generator, not the pipeline, set the "highest sustained" figure.
  it('says the sustained rate is a lower bound when the generator fell short on a bounded step', () => {
    expect(
      loadBoundNote([
        { targetPerSecond: 285, acceptedPerSecond: 253, depthAtEnd: 0, bounded: true },
      ]),
    ).toMatch(/lower bound: the load generator delivered 89 %/);
  });

  it('says nothing when the queue stopped being bounded, or every step was delivered', () => {
    expect(
      loadBoundNote([
        { targetPerSecond: 100, acceptedPerSecond: 99, depthAtEnd: 0, bounded: true },
        { targetPerSecond: 150, acceptedPerSecond: 120, depthAtEnd: 900, bounded: false },
      ]),
    ).toBe('');
    expect(
      loadBoundNote([
        { targetPerSecond: 100, acceptedPerSecond: 95, depthAtEnd: 0, bounded: true },
      ]),
    ).toBe('');
  });
});
