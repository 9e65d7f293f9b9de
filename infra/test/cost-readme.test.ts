import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXED_MONTHLY_COSTS, fixedMonthlyTotal, type FixedCostItem } from '@herald/config';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the README's idle cost table, as trimmed cells. */
function costTableRows(): string[][] {
  const section = README.split('## Estimated monthly cost at idle')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

function cell(item: FixedCostItem, stage: 'dev' | 'prod'): string {
  const value = item[stage];
  if (value === undefined) return '—';
  return item.approximate ? `~$${Math.round(value)}` : `$${value.toFixed(2)}`;
}

describe('infra/README.md idle cost table', () => {
  const rows = costTableRows();

  it('names the data file it is checked against', () => {
    expect(README).toContain('libs/config/src/prices.ts');
  });

  it('lists every item of FIXED_MONTHLY_COSTS with its figures and assumption, in order', () => {
    expect(rows.slice(0, -1)).toEqual(
      FIXED_MONTHLY_COSTS.map((item) => [
        item.item,
        cell(item, 'dev'),
        cell(item, 'prod'),
        item.assumption,
      ]),
    );
  });

  it('ends with the rounded totals of the data file', () => {
    expect(rows.at(-1)).toEqual([
      '**total**',
      `**≈ $${Math.round(fixedMonthlyTotal('dev'))}**`,
      `**≈ $${Math.round(fixedMonthlyTotal('prod'))}**`,
      '',
    ]);
  });
});
