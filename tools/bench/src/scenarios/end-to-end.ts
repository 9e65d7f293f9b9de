import { randomBytes } from 'node:crypto';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { messageStatusKey } from '@herald/metadata';
import type { Child } from '../child';
import { type BenchContext, sleep } from '../context';
import { diffCounts, perMessage, type RequestCounts } from '../edge-counter';
import { runLoad } from '../load';
import { round } from '../proc-stats';
import { queueDepth } from '../queues';
import { postBody } from './bodies';
import { BENCH_KEYS } from './ingest';

export interface EndToEndRow {
  readonly ratePerSecond: number;
  readonly accepted: number;
  readonly storedInPostgres: number;
  readonly storedInDynamoDb: number;
  /** POST accepted (envelope acceptedAt) → status `stored` written to DynamoDB (its updatedAt). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** POST accepted → row in PostgreSQL (its stored_at): the part before the status write. */
  readonly postgresP50Ms: number;
  readonly postgresP99Ms: number;
  readonly requestsPerMessage: RequestCounts;
  readonly sqsRequestsPerMessage: number;
}

export interface SustainedStep {
  readonly targetPerSecond: number;
  readonly acceptedPerSecond: number;
  readonly depthAtEnd: number;
  readonly bounded: boolean;
}

interface Pair {
  readonly ingest: Child;
  readonly worker: Child;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function load(ctx: BenchContext, pair: Pair, channel: string, rate: number, seconds: number) {
  return runLoad({
    url: `http://127.0.0.1:${pair.ingest.port}/v1/messages`,
    connections: Math.max(8, ctx.profile.connections),
    amount: Math.max(1, Math.round(rate * seconds)),
    rate,
    headers: {
      authorization: `Bearer ${BENCH_KEYS.e2e.secret}`,
      'content-type': 'application/json',
    },
    body: postBody(0, channel),
  });
}

/** Stored times of every message of `channel`: PostgreSQL's acceptedAt against DynamoDB's status. */
async function latencies(ctx: BenchContext, channel: string) {
  const { rows } = await ctx.pool.query<{ id: string; accepted_at: Date; stored_at: Date }>(
    'select id, accepted_at, stored_at from messages where tenant = $1 and channel = $2',
    [BENCH_KEYS.e2e.tenant, channel],
  );
  const toPostgres = rows
    .map((row) => row.stored_at.getTime() - row.accepted_at.getTime())
    .sort((a, b) => a - b);
  const accepted = new Map(rows.map((row) => [row.id, row.accepted_at.getTime()]));
  const ms: number[] = [];
  for (let start = 0; start < rows.length; start += 100) {
    const keys = rows
      .slice(start, start + 100)
      .map((row) => messageStatusKey(BENCH_KEYS.e2e.tenant, row.id));
    let request: Record<string, { Keys: object[] }> | undefined = {
      [ctx.stack.metadataTable]: { Keys: keys },
    };
    while (request !== undefined && Object.keys(request).length > 0) {
      const output = await ctx.dynamo.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of output.Responses?.[ctx.stack.metadataTable] ?? []) {
        const at = accepted.get(String(item.id));
        if (item.status === 'stored' && at !== undefined)
          ms.push(Date.parse(String(item.updatedAt)) - at);
      }
      request = output.UnprocessedKeys as Record<string, { Keys: object[] }> | undefined;
    }
  }
  return { postgres: rows.length, dynamo: ms.length, sorted: ms.sort((a, b) => a - b), toPostgres };
}

/** POST → stored in both stores at a fixed rate the pipeline sustains. */
export async function endToEnd(ctx: BenchContext, pair: Pair, rate: number): Promise<EndToEndRow> {
  const channel = `e2e-${randomBytes(3).toString('hex')}`;
  const edge = ctx.edge.snapshot();
  const result = await load(ctx, pair, channel, rate, ctx.profile.e2eSeconds);
  await untilChannel(ctx, channel, result.ok);
  const counted = diffCounts(edge, ctx.edge.snapshot());
  const { postgres, dynamo, sorted, toPostgres } = await latencies(ctx, channel);
  ctx.checks.push(
    {
      what: 'end to end: acknowledged = stored in PostgreSQL',
      expected: result.ok,
      actual: postgres,
      unanswered: result.errors,
    },
    {
      what: 'end to end: acknowledged = stored in DynamoDB',
      expected: result.ok,
      actual: dynamo,
      unanswered: result.errors,
    },
  );
  const requests = perMessage(counted, result.ok);
  return {
    ratePerSecond: Math.round(rate),
    accepted: result.ok,
    storedInPostgres: postgres,
    storedInDynamoDb: dynamo,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    postgresP50Ms: percentile(toPostgres, 50),
    postgresP99Ms: percentile(toPostgres, 99),
    requestsPerMessage: requests,
    sqsRequestsPerMessage: round(
      Object.values(requests.sqs ?? {}).reduce((a, b) => a + b, 0),
      3,
    ),
  };
}

async function untilChannel(ctx: BenchContext, channel: string, expected: number): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await ctx.pool.query<{ count: string }>(
      'select count(*) from messages where tenant = $1 and channel = $2',
      [BENCH_KEYS.e2e.tenant, channel],
    );
    const count = Number(rows[0]?.count ?? 0);
    if (count >= expected && (await queueDepth(ctx.sqs, ctx.stack.queueUrl)) === 0) {
      // The status write follows the PostgreSQL insert in the same batch: let it land.
      await sleep(500);
      return count;
    }
    if (Date.now() > deadline) return count;
    await sleep(100);
  }
}

/**
 * The highest rate the pipeline sustained: steps of `factors` × `baseRate`, each bounded when the
 * queue ends within one second of traffic. The sustained rate is what the ingest accepted in the
 * highest bounded step (on a loaded machine the load generator may offer less than asked: the
 * accepted rate is the figure, the target only the step). The search stops at the first unbounded
 * step, or when a step accepted less than 90 % of its target (asking for more is pointless).
 */
/** Whether the load generator delivered a step's rate (90 %); past that, asking more is pointless. */
export function delivered(
  step: Pick<SustainedStep, 'targetPerSecond' | 'acceptedPerSecond'>,
): boolean {
  return step.acceptedPerSecond >= 0.9 * step.targetPerSecond;
}

export async function sustainedRate(
  ctx: BenchContext,
  pair: Pair,
  baseRate: number,
  factors: readonly number[],
): Promise<{ highestSustainedPerSecond: number; steps: SustainedStep[] }> {
  const steps: SustainedStep[] = [];
  for (const factor of factors) {
    const target = Math.round(baseRate * factor);
    const channel = `sustain-${randomBytes(3).toString('hex')}`;
    const result = await load(ctx, pair, channel, target, ctx.profile.e2eSeconds);
    const depthAtEnd = await queueDepth(ctx.sqs, ctx.stack.queueUrl);
    const acceptedPerSecond = Math.round(result.ok / result.seconds);
    const bounded = depthAtEnd <= target;
    steps.push({ targetPerSecond: target, acceptedPerSecond, depthAtEnd, bounded });
    await untilChannel(ctx, channel, result.ok);
    if (!bounded || !delivered({ targetPerSecond: target, acceptedPerSecond })) break;
  }
  const highest = Math.max(0, ...steps.filter((s) => s.bounded).map((s) => s.acceptedPerSecond));
  return { highestSustainedPerSecond: highest, steps };
}
