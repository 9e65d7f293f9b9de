import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMarkdown, compareReports, readReport } from './compare';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const before = await readReport(fixture('bench-before.json'));
const after = await readReport(fixture('bench-after.json'));
const rowOf = (figure: string) => compareReports(before, after).find((r) => r.figure === figure);

describe('compareReports', () => {
  it('pairs each figure with its change in %', () => {
    expect(rowOf('ingest single POST: CPU µs/msg')).toEqual({
      figure: 'ingest single POST: CPU µs/msg',
      before: 8125,
      after: 4062.5,
      changePercent: -50,
    });
    expect(rowOf('worker 20 channels: msg/s')?.changePercent).toBe(100);
    expect(rowOf('worker 20 channels: DynamoDB WCU/msg')).toMatchObject({
      before: 2.01,
      after: 2.01,
      changePercent: 0,
    });
  });

  it('says which targets went from missed to met', () => {
    expect(rowOf('target: ingest single POST ≤ 3 × B CPU')).toEqual({
      figure: 'target: ingest single POST ≤ 3 × B CPU',
      before: 'missed',
      after: 'met',
    });
  });

  it('shows a profile area only one report has, and leaves out areas under 5 % in both', () => {
    expect(rowOf('profile ingest single POST: @aws-sdk+@smithy µs/msg')).toEqual({
      figure: 'profile ingest single POST: @aws-sdk+@smithy µs/msg',
      before: undefined,
      after: 1200,
    });
    expect(rowOf('profile ingest single POST: zod µs/msg')).toBeUndefined();
  });
});

describe('compareMarkdown', () => {
  it('heads the table with both commits and prints one row per figure', () => {
    const markdown = compareMarkdown(before, after);
    expect(markdown).toContain('Before: aaaaaaaaaaaa, 2026-12-01T00:00:00.000Z, 2 cores');
    expect(markdown).toContain('After: bbbbbbbbbbbb, 2026-12-02T00:00:00.000Z');
    expect(markdown).toContain('| ingest single POST: CPU µs/msg | 8125 | 4062.5 | -50.0 % |');
    expect(markdown).toContain(
      '| profile ingest single POST: @aws-sdk+@smithy µs/msg | - | 1200 |  |',
    );
    expect(markdown).toContain(
      '| target: ingest single POST ≤ 3 × B CPU | missed | met | changed |',
    );
  });
});

describe('readReport', () => {
  it('refuses a file that is not a bench report, in one line', async () => {
    const path = join(tmpdir(), `not-a-report-${process.pid}.json`);
    await writeFile(path, '{"hello":1}');
    await expect(readReport(path)).rejects.toThrow(/is not a bench report/);
  });

  it('names the file it cannot read', async () => {
    await expect(readReport('/nonexistent/bench.json')).rejects.toThrow(
      /cannot read the bench report \/nonexistent\/bench.json/,
    );
  });

  it('reads a report written before the header carried a commit', async () => {
    const { commit: _commit, loadAverage: _load, ...old } = before;
    const path = join(tmpdir(), `old-report-${process.pid}.json`);
    await writeFile(path, JSON.stringify(old));
    const report = await readReport(path);
    expect(compareMarkdown(report, after)).toContain('Before: unknown commit,');
  });
});
