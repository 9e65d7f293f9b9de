import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { FIXED_MONTHLY_COSTS, fixedMonthlyTotal, PRICES } from '@herald/config';
import { costMarkdown } from './format';
import { batchedAgainstUnbatched, type CostInputs, DEFAULT_INPUTS } from './model';
import { inputsFromReport } from './report-section';

function number(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max)
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return value;
  };
}

interface CostOptions {
  from?: string;
  messageBytes?: number;
  criticalFraction?: number;
  channelsPerBatch?: number;
  batchSize?: number;
  cpuUs?: number;
  logBytes?: number;
  spot?: boolean;
  json?: boolean;
}

/** Reads the bench report's measured inputs; one clear line when it cannot. */
function fromReport(path: string): CostInputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the bench report ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return inputsFromReport(parsed);
}

/**
 * `cost`: USD per million messages (batched against unbatched) and each stage's fixed monthly
 * cost, from the prices in @herald/config and either defaults or a bench report's counts.
 * The `herald` CLI registers it as `herald cost`.
 */
export function costCommand(): Command {
  return new Command('cost')
    .description(
      'USD per million messages (batched against unbatched) and fixed monthly cost per stage',
    )
    .option(
      '--from <bench.json>',
      'take the counted inputs from a bench report (reports/bench/bench.json)',
    )
    .option(
      '--message-bytes <bytes>',
      `envelope size (default ${DEFAULT_INPUTS.messageBytes})`,
      number(1, 262_144),
    )
    .option(
      '--critical-fraction <0-1>',
      `share of critical messages (default ${DEFAULT_INPUTS.criticalFraction})`,
      number(0, 1),
    )
    .option(
      '--channels-per-batch <n>',
      `distinct channels per worker batch (default ${DEFAULT_INPUTS.channelsPerBatch})`,
      number(1, 10),
    )
    .option(
      '--batch-size <n>',
      `messages per SQS call and worker batch (default ${DEFAULT_INPUTS.messagesPerBatch})`,
      number(1, 10),
    )
    .option(
      '--cpu-us <µs>',
      `ingest + worker CPU per message (default ${DEFAULT_INPUTS.cpuMicrosPerMessage})`,
      number(0, 1e7),
    )
    .option(
      '--log-bytes <bytes>',
      `ingest + worker log bytes per message (default ${DEFAULT_INPUTS.logBytesPerMessage})`,
      number(0, 1e7),
    )
    .addOption(new Option('--spot', 'price Fargate time at the Spot discount'))
    .option('--json', 'print JSON instead of tables')
    .action((options: CostOptions, command: Command) => {
      let base: CostInputs;
      try {
        base = options.from ? fromReport(options.from) : DEFAULT_INPUTS;
      } catch (error) {
        command.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
      const inputs: CostInputs = {
        ...base,
        ...(options.messageBytes === undefined ? {} : { messageBytes: options.messageBytes }),
        ...(options.criticalFraction === undefined
          ? {}
          : { criticalFraction: options.criticalFraction }),
        ...(options.channelsPerBatch === undefined
          ? {}
          : { channelsPerBatch: options.channelsPerBatch }),
        ...(options.batchSize === undefined ? {} : { messagesPerBatch: options.batchSize }),
        ...(options.cpuUs === undefined ? {} : { cpuMicrosPerMessage: options.cpuUs }),
        ...(options.logBytes === undefined ? {} : { logBytesPerMessage: options.logBytes }),
        ...(options.spot ? { spot: true } : {}),
      };
      const { batched, unbatched } = batchedAgainstUnbatched(inputs);
      if (options.json) {
        const fixed = {
          items: FIXED_MONTHLY_COSTS,
          devTotal: fixedMonthlyTotal('dev'),
          prodTotal: fixedMonthlyTotal('prod'),
        };
        process.stdout.write(
          `${JSON.stringify({ prices: { date: PRICES.date, source: PRICES.source }, batched, unbatched, fixedMonthly: fixed }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(costMarkdown(batched, unbatched));
    });
}
