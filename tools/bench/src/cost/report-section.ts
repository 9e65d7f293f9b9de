import type { EndToEndRow } from '../scenarios/end-to-end';
import type { IngestRow } from '../scenarios/ingest';
import type { WorkerRow } from '../scenarios/worker';
import { costMarkdown } from './format';
import {
  batchedAgainstUnbatched,
  type CostBreakdown,
  type CostInputs,
  DEFAULT_INPUTS,
} from './model';

export interface CostSection {
  readonly inputs: CostInputs;
  readonly batched: CostBreakdown;
  readonly unbatched: CostBreakdown;
  readonly markdown: string;
}

/**
 * The bench's measured inputs: single-POST ingest and the 20-channel worker (or the widest
 * spread run) CPU and log bytes, WCU as dynalite counted them, SQS calls as the edge counted them.
 */
export function measuredInputs(
  ingest: readonly IngestRow[],
  worker: readonly WorkerRow[],
  e2e: EndToEndRow,
): CostInputs {
  const single = ingest[0];
  const drain = worker.find((row) => row.channels === 20) ?? worker.at(-1);
  if (!single || !drain) return DEFAULT_INPUTS;
  return {
    ...DEFAULT_INPUTS,
    messageBytes: drain.bytesPerMessage,
    channelsPerBatch: Math.min(10, drain.channels),
    cpuMicrosPerMessage: Math.round(single.cpuMicrosPerMessage + drain.cpuMicrosPerMessage),
    logBytesPerMessage: Math.round(single.logBytesPerMessage + drain.logBytesPerMessage),
    measured: {
      sqsRequestsPerMessage: e2e.sqsRequestsPerMessage,
      ...(Number.isFinite(drain.dynamoWriteUnitsPerMessage)
        ? { dynamoWriteUnitsPerMessage: drain.dynamoWriteUnitsPerMessage }
        : {}),
      dynamoReadUnitsPerMessage: drain.dynamoReadUnitsPerMessage,
    },
  };
}

export function costSection(
  ingest: readonly IngestRow[],
  worker: readonly WorkerRow[],
  e2e: EndToEndRow,
): CostSection {
  const inputs = measuredInputs(ingest, worker, e2e);
  const { batched, unbatched } = batchedAgainstUnbatched(inputs);
  return { inputs, batched, unbatched, markdown: costMarkdown(batched, unbatched) };
}

/** The inputs a bench report (reports/bench/bench.json) recorded in its cost section. */
export function inputsFromReport(report: unknown): CostInputs {
  const inputs = (report as { cost?: { inputs?: Partial<CostInputs> } } | null)?.cost?.inputs;
  if (!inputs || typeof inputs.messageBytes !== 'number')
    throw new Error('not a bench report: it has no cost.inputs (run `npm run bench` first)');
  return { ...DEFAULT_INPUTS, ...inputs };
}
