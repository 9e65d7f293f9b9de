import { FIXED_MONTHLY_COSTS, fixedMonthlyTotal, PRICES } from '@herald/config';
import type { CostBreakdown } from './model';

const usd = (value: number) =>
  `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;

/** Markdown: per-million cost batched against unbatched, then the fixed monthly items. */
export function costMarkdown(batched: CostBreakdown, unbatched: CostBreakdown): string {
  const { inputs } = batched;
  const lines = [
    `USD per million messages (${inputs.messageBytes} B, ${(inputs.criticalFraction * 100).toFixed(1)} % critical, ${inputs.channelsPerBatch} channels per batch of ${inputs.messagesPerBatch}, ${inputs.cpuMicrosPerMessage} µs CPU and ${inputs.logBytesPerMessage} log bytes per message${inputs.spot ? ', Fargate Spot' : ''}); prices of ${PRICES.date}.`,
    '',
    '| item | batched units/msg | batched $/M | unbatched units/msg | unbatched $/M |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  batched.lines.forEach((line, index) => {
    const other = unbatched.lines[index];
    lines.push(
      `| ${line.item} | ${line.unitsPerMessage.toPrecision(3)} | ${usd(line.usdPerMillion)} | ${other?.unitsPerMessage.toPrecision(3) ?? '-'} | ${usd(other?.usdPerMillion ?? 0)} |`,
    );
  });
  lines.push(
    `| **total** | | **${usd(batched.usdPerMillion)}** | | **${usd(unbatched.usdPerMillion)}** |`,
    '',
  );
  lines.push(
    'Fixed monthly cost at idle (USD):',
    '',
    '| item | dev | prod |',
    '| --- | ---: | ---: |',
  );
  for (const item of FIXED_MONTHLY_COSTS) {
    const cell = (value: number | undefined) =>
      value === undefined ? '—' : `${item.approximate ? '~' : ''}${usd(value)}`;
    lines.push(`| ${item.item} | ${cell(item.dev)} | ${cell(item.prod)} |`);
  }
  lines.push(
    `| **total** | **≈ ${usd(fixedMonthlyTotal('dev'))}** | **≈ ${usd(fixedMonthlyTotal('prod'))}** |`,
  );
  return `${lines.join('\n')}\n`;
}
