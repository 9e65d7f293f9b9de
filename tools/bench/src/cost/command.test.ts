import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { costCommand } from './command';

function run(args: string[]): { out: string; error?: string } {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const command = costCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (text) => (out += text) });
  try {
    command.parse(args, { from: 'user' });
    return { out };
  } catch (error) {
    return { out, error: error instanceof Error ? error.message : String(error) };
  } finally {
    write.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cost command', () => {
  it('prints batched against unbatched and the fixed monthly cost', () => {
    const { out } = run([]);
    expect(out).toContain('USD per million messages');
    expect(out).toMatch(/\| SQS requests \| 0\.300 \| \$0\.12 \| 3\.00 \| \$1\.20 \|/);
    expect(out).toContain('| NAT gateways | $32.85 | $98.55 |');
  });

  it('prints JSON with the prices date and source on --json', () => {
    const parsed = JSON.parse(run(['--json', '--critical-fraction', '0.5']).out) as {
      prices: { date: string; source: string };
      batched: { inputs: { criticalFraction: number }; usdPerMillion: number };
      fixedMonthly: { prodTotal: number };
    };
    expect(parsed.prices.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(parsed.batched.inputs.criticalFraction).toBe(0.5);
    expect(parsed.fixedMonthly.prodTotal).toBeGreaterThan(400);
  });

  it('takes the counted inputs of a bench report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-'));
    const file = join(dir, 'bench.json');
    writeFileSync(
      file,
      JSON.stringify({
        cost: { inputs: { messageBytes: 500, measured: { dynamoWriteUnitsPerMessage: 3 } } },
      }),
    );
    const parsed = JSON.parse(run(['--from', file, '--json']).out) as {
      batched: { lines: { item: string; unitsPerMessage: number }[] };
    };
    expect(
      parsed.batched.lines.find((line) => line.item === 'DynamoDB write units')?.unitsPerMessage,
    ).toBe(3);
  });

  it('refuses a value out of range, naming the option', () => {
    expect(run(['--critical-fraction', '2']).error).toMatch(
      /--critical-fraction.*expected a number from 0 to 1/,
    );
  });

  it('refuses a file that is not a bench report in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-'));
    const file = join(dir, 'other.json');
    writeFileSync(file, '{}');
    expect(run(['--from', file]).error).toMatch(/not a bench report/);
  });
});
