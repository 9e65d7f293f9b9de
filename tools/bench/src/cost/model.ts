import { PRICES } from '@herald/config';

/** What a message costs depends on these, and on how the pipeline batches. */
export interface CostInputs {
  /** Serialized envelope bytes per message. */
  readonly messageBytes: number;
  /** Share of messages that are critical (an SNS alert and an email each). */
  readonly criticalFraction: number;
  /** Distinct channels among the messages of one worker batch (one totals write each). */
  readonly channelsPerBatch: number;
  /** Messages per SendMessageBatch / ReceiveMessage (10 batched, 1 unbatched). */
  readonly messagesPerBatch: number;
  /** Email subscriptions that receive each alert. */
  readonly emailsPerAlert: number;
  /** Ingest + worker log bytes per message (CloudWatch Logs ingestion). */
  readonly logBytesPerMessage: number;
  /** Ingest + worker CPU per message, µs (Fargate vCPU time). */
  readonly cpuMicrosPerMessage: number;
  /** Task memory per vCPU, GB (0.5 vCPU / 1 GB tasks: 2). */
  readonly gbPerVcpu: number;
  /** Run on Fargate Spot (about 70 % off). */
  readonly spot: boolean;
  /** Other SQS requests per message (visibility heartbeats, empty receives), measured. */
  readonly extraSqsRequestsPerMessage: number;
  /** Counted by the bench: replaces the structural estimate of the same figure. */
  readonly measured?: {
    /** SQS calls per message end to end (each billed once per 64 KiB chunk of its payload). */
    readonly sqsRequestsPerMessage?: number;
    readonly dynamoWriteUnitsPerMessage?: number;
    readonly dynamoReadUnitsPerMessage?: number;
  };
}

/**
 * The bench's figures on the development machine, used when no bench report is given:
 * `tools/bench/results/after-fast-path.md` (no profiler), log bytes 262.9 (ingest, single POST)
 * + 29.7 (worker), CPU 290.9 µs (ingest, single POST) + 1,480 µs (worker, median of its three
 * channel spreads). Keep them current with the results there.
 */
export const DEFAULT_INPUTS: CostInputs = {
  messageBytes: 1024,
  criticalFraction: 0.01,
  channelsPerBatch: 1,
  messagesPerBatch: 10,
  emailsPerAlert: 1,
  logBytesPerMessage: 293,
  cpuMicrosPerMessage: 1770,
  gbPerVcpu: 2,
  spot: false,
  extraSqsRequestsPerMessage: 0,
};

export interface CostLine {
  readonly item: string;
  /** Billed units per message (requests, write units, GB, vCPU-hours…). */
  readonly unitsPerMessage: number;
  readonly usdPerMillion: number;
}

export interface CostBreakdown {
  readonly inputs: CostInputs;
  readonly lines: readonly CostLine[];
  readonly usdPerMillion: number;
}

const MILLION = 1_000_000;

/**
 * USD per million messages: SQS send + receive + delete (each 64 KiB chunk of a call one
 * request), DynamoDB status and channel-totals writes, SNS alerts and emails, CloudWatch Logs
 * and Fargate CPU time. Every count follows from the inputs; the bench supplies measured ones.
 */
export function costPerMillion(inputs: CostInputs): CostBreakdown {
  const { sqs, dynamodb, sns, cloudwatchLogs, fargate } = PRICES;
  const batch = Math.max(1, inputs.messagesPerBatch);
  const chunksPerCall = Math.max(
    1,
    Math.ceil((inputs.messageBytes * batch) / sqs.billedChunkBytes),
  );
  // Send carries the payload, receive returns it; delete carries only receipt handles.
  const measured = inputs.measured ?? {};
  const sqsPerMessage =
    measured.sqsRequestsPerMessage === undefined
      ? (2 * chunksPerCall + 1) / batch + inputs.extraSqsRequestsPerMessage
      : measured.sqsRequestsPerMessage * chunksPerCall;
  const statusUnits = 1; // the status item (~250 bytes) is one write unit
  const totalsUnits = Math.min(batch, Math.max(1, inputs.channelsPerBatch)) / batch;
  const alertUnits = inputs.criticalFraction; // marking the alert sent
  const writeUnits = measured.dynamoWriteUnitsPerMessage ?? statusUnits + totalsUnits + alertUnits;
  const readUnits = measured.dynamoReadUnitsPerMessage ?? 0;
  const logGb = inputs.logBytesPerMessage / 1024 ** 3;
  const vcpuHours = inputs.cpuMicrosPerMessage / 3.6e9;
  const discount = inputs.spot ? 1 - fargate.spotDiscount : 1;
  const lines: CostLine[] = [
    {
      item: 'SQS requests',
      unitsPerMessage: sqsPerMessage,
      usdPerMillion: sqsPerMessage * sqs.perMillionRequests,
    },
    {
      item: 'DynamoDB write units',
      unitsPerMessage: writeUnits,
      usdPerMillion: writeUnits * dynamodb.perMillionWriteUnits,
    },
    {
      item: 'DynamoDB read units',
      unitsPerMessage: readUnits,
      usdPerMillion: readUnits * dynamodb.perMillionReadUnits,
    },
    {
      item: 'SNS publishes',
      unitsPerMessage: inputs.criticalFraction,
      usdPerMillion: inputs.criticalFraction * sns.perMillionPublishes,
    },
    {
      item: 'SNS emails',
      unitsPerMessage: inputs.criticalFraction * inputs.emailsPerAlert,
      usdPerMillion:
        ((inputs.criticalFraction * inputs.emailsPerAlert * MILLION) / 100_000) *
        sns.perHundredThousandEmails,
    },
    {
      item: 'CloudWatch Logs',
      unitsPerMessage: logGb,
      usdPerMillion: logGb * MILLION * cloudwatchLogs.perGbIngested,
    },
    {
      item: 'Fargate CPU + memory',
      unitsPerMessage: vcpuHours,
      usdPerMillion:
        vcpuHours *
        MILLION *
        (fargate.perVcpuHour + inputs.gbPerVcpu * fargate.perGbHour) *
        discount,
    },
  ];
  return { inputs, lines, usdPerMillion: lines.reduce((sum, line) => sum + line.usdPerMillion, 0) };
}

/** The same inputs batched (10 a call) and unbatched (one message per SQS call and per batch). */
export function batchedAgainstUnbatched(inputs: CostInputs): {
  batched: CostBreakdown;
  unbatched: CostBreakdown;
} {
  return {
    batched: costPerMillion({ ...inputs, messagesPerBatch: Math.max(inputs.messagesPerBatch, 2) }),
    // Unbatched has no measured run: every count is structural (one call per message).
    unbatched: costPerMillion({
      ...inputs,
      messagesPerBatch: 1,
      channelsPerBatch: 1,
      measured: {},
    }),
  };
}
