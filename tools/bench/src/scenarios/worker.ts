import { randomBytes } from 'node:crypto';
import { type Child, startChild } from '../child';
import {
  type BenchContext,
  medianRun,
  repeat,
  sleep,
  WORKSPACE,
  serviceNodeArgs,
} from '../context';
import { diffCounts, perMessage, type RequestCounts, total } from '../edge-counter';
import { throughProxy } from '../pg-count-proxy';
import { monotonicMicros } from '../profile/summary';
import { pgCounters, pgPerMessage, type PgCounters } from '../pg-stats';
import { round } from '../proc-stats';
import { purge, queueDepth } from '../queues';
import { rawSqsLoop, type SqsBaseline } from './baselines';

/** The production worker (apps/worker/src/main.ts) on the stack's queue, in its own process. */
export function startWorker(ctx: BenchContext): Promise<Child> {
  return startChild({
    cwd: WORKSPACE,
    nodeArgs: serviceNodeArgs(ctx.profile),
    entry: 'apps/worker/src/main.ts',
    env: {
      ...ctx.awsEnv,
      QUEUE_URL: ctx.stack.queueUrl,
      DLQ_URL: ctx.stack.dlqUrl,
      METADATA_TABLE: ctx.stack.metadataTable,
      ALERTS_TOPIC_ARN: ctx.stack.alertsTopicArn,
      DATABASE_URL: throughProxy(ctx.stack.writerDatabaseUrl, ctx.pgProxy.port),
      HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      WAIT_TIME_SECONDS: '2',
    },
    readyMessage: 'worker started',
    keep: ['batch', 'worker usage'],
  });
}

export async function countRows(ctx: BenchContext, tenant: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ count: string }>(
    'select count(*) from messages where tenant = $1',
    [tenant],
  );
  return Number(rows[0]?.count ?? 0);
}

/** Waits until `expected` rows of `tenant` are stored and the queue is empty. */
export async function untilDrained(
  ctx: BenchContext,
  tenant: string,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await countRows(ctx, tenant);
    if (rows >= expected && (await queueDepth(ctx.sqs, ctx.stack.queueUrl)) === 0) return rows;
    if (Date.now() > deadline) return rows;
    await sleep(100);
  }
}

export interface WorkerRow {
  readonly channels: number;
  readonly messages: number;
  readonly bytesPerMessage: number;
  readonly messagesPerSecond: number;
  readonly cpuMicrosPerMessage: number;
  readonly cpuRatioToR: number;
  readonly dynamoWriteUnitsPerMessage: number;
  readonly dynamoReadUnitsPerMessage: number;
  readonly snsPublishesPerCriticalMessage: number;
  readonly requestsPerMessage: RequestCounts;
  readonly postgresPerMessage: PgCounters & { statements: number; roundTrips: number };
  readonly logBytesPerMessage: number;
  readonly peakRssMb: number;
  readonly fill: SqsBaseline;
}

interface Usage {
  usage: { dynamoWriteUnits: number; dynamoReadUnits?: number };
}

/** One drain: Q fills the queue, then a fresh worker drains it and stops (its usage line). */
async function drainOnce(
  ctx: BenchContext,
  channels: number,
  baselineR: SqsBaseline,
): Promise<WorkerRow> {
  const count = ctx.profile.workerMessages;
  const tenant = `bench-w-${randomBytes(3).toString('hex')}`;
  await purge(ctx.sqs, ctx.stack.queueUrl);
  const fill = await rawSqsLoop(ctx, 'send', ctx.stack.queueUrl, { count, channels, tenant });
  const pgBefore = await pgCounters(ctx.pool);
  const wireBefore = ctx.pgProxy.counts();
  const worker = await startWorker(ctx);
  const edge = ctx.edge.snapshot();
  const cpu = worker.cpuMicros();
  const logBytes = worker.logBytes();
  const startUs = monotonicMicros();
  const rows = await untilDrained(ctx, tenant, count, 600_000);
  const used = worker.cpuMicros() - cpu;
  ctx.profiler?.mark(
    'worker',
    `${channels} channels`,
    worker.pid,
    { startUs, endUs: monotonicMicros() },
    rows,
    used,
  );
  const logged = worker.logBytes() - logBytes;
  const counted = diffCounts(edge, ctx.edge.snapshot());
  const { peakRssMb } = worker.rss();
  ctx.checks.push({
    what: `worker drain, ${channels} channels: queued = stored`,
    expected: count,
    actual: rows,
    unanswered: 0,
  });
  await worker.stop();
  const usage = (
    worker.lines.find((line) => line.entry.msg === 'worker usage')?.entry as Usage | undefined
  )?.usage;
  const wire = ctx.pgProxy.counts();
  const batches = worker.lines.filter((line) => line.entry.msg === 'batch');
  const startedAt = Math.min(
    ...batches.map(
      (line) => line.at - ((line.entry.metrics as { durationMs?: number }).durationMs ?? 0),
    ),
  );
  const endedAt = Math.max(...batches.map((line) => line.at));
  const critical = Math.ceil(count / 100);
  ctx.log(
    `  ${channels} channels: ${count} messages in ${((endedAt - startedAt) / 1000).toFixed(1)} s, ${round(used / count, 1)} CPU µs/msg`,
  );
  const writes = usage?.dynamoWriteUnits;
  return {
    channels,
    messages: count,
    bytesPerMessage: fill.bytesPerMessage,
    messagesPerSecond: Math.round(count / Math.max(0.001, (endedAt - startedAt) / 1000)),
    cpuMicrosPerMessage: round(used / count, 1),
    cpuRatioToR: round(used / count / baselineR.cpuMicrosPerMessage, 2),
    dynamoWriteUnitsPerMessage: writes === undefined ? Number.NaN : round(writes / count, 3),
    dynamoReadUnitsPerMessage: round((usage?.dynamoReadUnits ?? 0) / count, 3),
    snsPublishesPerCriticalMessage: round(total(counted.sns) / critical, 2),
    requestsPerMessage: perMessage(counted, count),
    postgresPerMessage: {
      ...pgPerMessage(pgBefore, await pgCounters(ctx.pool), count),
      statements: round((wire.statements - wireBefore.statements) / count, 2),
      roundTrips: round((wire.roundTrips - wireBefore.roundTrips) / count, 2),
    },
    logBytesPerMessage: round(logged / count, 1),
    peakRssMb,
    fill,
  };
}

/** Worker drain rate and cost from a pre-filled queue, per channel spread (median run each). */
export async function workerScenarios(
  ctx: BenchContext,
  baselineR: SqsBaseline,
): Promise<{ rows: (WorkerRow & { spread: [number, number] })[]; q: SqsBaseline[] }> {
  const rows: (WorkerRow & { spread: [number, number] })[] = [];
  const q: SqsBaseline[] = [];
  for (const channels of ctx.profile.channels) {
    const results = await repeat(ctx.profile.runs, async () => {
      const row = await drainOnce(ctx, channels, baselineR);
      q.push(row.fill);
      return row;
    });
    rows.push(medianRun(results, (run) => run.cpuMicrosPerMessage));
  }
  return { rows, q };
}
