import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type BenchReport } from './report';

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
