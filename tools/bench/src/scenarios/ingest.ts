import { type Child, startChild } from '../child';
import {
  BENCH_RATE_LIMIT,
  type BenchContext,
  medianRun,
  repeat,
  sleep,
  WORKSPACE,
  serviceNodeArgs,
} from '../context';
import { diffCounts, perMessage, type RequestCounts } from '../edge-counter';
import { runLoad, sizedAmount } from '../load';
import { monotonicMicros } from '../profile/summary';
import { throughProxy } from '../pg-count-proxy';
import { round } from '../proc-stats';
import { queueDepth } from '../queues';
import { batchBody, postBody } from './bodies';

export const BENCH_KEYS = {
  ingest: { tenant: 'bench', secret: 'hk_bench_0123456789abcdefghijklmnopqrstuvwxyz' },
  e2e: { tenant: 'bench-e2e', secret: 'hk_bench_e2e_0123456789abcdefghijklmnopqrstuv' },
} as const;

/** The production ingest (apps/ingest/src/main.ts) in its own process, rate limit raised. */
export function startIngest(ctx: BenchContext): Promise<Child> {
  return startChild({
    cwd: WORKSPACE,
    nodeArgs: serviceNodeArgs(ctx.profile),
    entry: 'apps/ingest/src/main.ts',
    env: {
      ...ctx.awsEnv,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      QUEUE_URL: ctx.stack.queueUrl,
      METADATA_TABLE: ctx.stack.metadataTable,
      DATABASE_URL: throughProxy(ctx.stack.readerDatabaseUrl, ctx.pgProxy.port),
      RATE_LIMIT_PER_SECOND: String(BENCH_RATE_LIMIT),
      RATE_LIMIT_BURST: String(BENCH_RATE_LIMIT),
      // No load balancer drains this ingest: stop at once on SIGTERM.
      SHUTDOWN_DELAY_MS: '0',
    },
    readyMessage: 'ingest listening',
  });
}

export interface IngestRow {
  readonly name: string;
  readonly messagesPerRequest: number;
  readonly requestsPerSecond: number;
  /** Accepted messages per second at saturation (`connections` concurrent requests). */
  readonly messagesPerSecond: number;
  /** Latency at half of the saturation rate. */
  readonly halfLoadP50Ms: number;
  readonly halfLoadP99Ms: number;
  readonly cpuMicrosPerMessage: number;
  /** CPU per message over B's CPU per request. */
  readonly cpuRatioToB: number;
  readonly logBytesPerMessage: number;
  readonly requestsPerMessage: RequestCounts;
  readonly accepted: number;
  readonly enqueued: number;
  readonly errors: number;
}

/** Single POST, or batches of `size`: saturation, then half of it, against one ingest process. */
export async function ingestScenario(
  ctx: BenchContext,
  ingest: Child,
  size: number,
  baselineCpuPerRequest: number,
): Promise<IngestRow & { spread: [number, number] }> {
  const { profile } = ctx;
  const single = size === 1;
  const load = {
    url: `http://127.0.0.1:${ingest.port}${single ? '/v1/messages' : '/v1/messages/batch'}`,
    connections: profile.connections,
    headers: {
      authorization: `Bearer ${BENCH_KEYS.ingest.secret}`,
      'content-type': 'application/json',
    },
    body: single ? postBody(1) : batchBody(size),
    ...(single ? {} : { acknowledged: acceptedEntries }),
  };
  const name = single ? 'single POST' : `batch of ${size}`;
  // Sized from the fastest rate seen so far: the warm-up's rate (cold JIT) alone made short runs.
  let rate = 0;
  const runs = await repeat(profile.runs, async (index) => {
    // No purge between runs or scenarios (SQS allows one a minute, and receiving tens of thousands
    // of messages took minutes): the depth's growth is what this run enqueued. Nothing consumes
    // the queue during the ingest scenarios; the caller purges once after them.
    const depthBefore = await queueDepth(ctx.sqs, ctx.stack.queueUrl);
    // The warm-up is counted in messages: a batch of 100 needs 100 times fewer requests.
    const warmRequests = Math.ceil((profile.warmupRounds * profile.connections) / size);
    const warm = await runLoad({
      ...load,
      amount: Math.max(2 * profile.connections, warmRequests),
    });
    rate = Math.max(rate, warm.requestsPerSecond);
    const edge = ctx.edge.snapshot();
    const cpu = ingest.cpuMicros();
    const logBytes = ingest.logBytes();
    const startUs = monotonicMicros();
    const saturated = await runLoad({
      ...load,
      amount: sizedAmount(rate, profile.seconds, profile.connections),
    });
    rate = Math.max(rate, saturated.requestsPerSecond);
    const used = ingest.cpuMicros() - cpu;
    ctx.profiler?.mark(
      'ingest',
      name,
      ingest.pid,
      { startUs, endUs: monotonicMicros() },
      saturated.acknowledged,
      used,
    );
    const logged = ingest.logBytes() - logBytes;
    const counted = diffCounts(edge, ctx.edge.snapshot());
    const halfRate = saturated.requestsPerSecond / 2;
    const half = await runLoad({
      ...load,
      amount: sizedAmount(halfRate, profile.seconds, profile.connections),
      rate: halfRate,
    });
    const runs3 = [warm, saturated, half];
    const accepted = runs3.reduce((sum, run) => sum + run.acknowledged, 0);
    const unanswered = runs3.reduce((sum, run) => sum + run.errors, 0) * size;
    // 202 means SQS holds it: the depth must cover what was acknowledged.
    await sleep(100);
    const enqueued = (await queueDepth(ctx.sqs, ctx.stack.queueUrl)) - depthBefore;
    ctx.log(
      `  ${name} run ${index + 1}: ${Math.round(saturated.acknowledged / saturated.seconds)} msg/s over ${saturated.seconds.toFixed(1)} s, ${round(used / Math.max(1, saturated.acknowledged), 1)} CPU µs/msg`,
    );
    ctx.checks.push({
      what: `ingest ${name}: acknowledged = enqueued`,
      expected: accepted,
      actual: enqueued,
      unanswered,
    });
    const messages = saturated.acknowledged;
    const cpuPerMessage = used / Math.max(1, messages);
    return {
      name,
      messagesPerRequest: size,
      requestsPerSecond: Math.round(saturated.requestsPerSecond),
      messagesPerSecond: Math.round(saturated.acknowledged / saturated.seconds),
      halfLoadP50Ms: half.p50Ms,
      halfLoadP99Ms: half.p99Ms,
      cpuMicrosPerMessage: round(cpuPerMessage, 1),
      cpuRatioToB: round(cpuPerMessage / baselineCpuPerRequest, 2),
      logBytesPerMessage: round(logged / Math.max(1, messages), 1),
      requestsPerMessage: perMessage(counted, messages),
      accepted,
      enqueued,
      errors:
        warm.errors + saturated.errors + half.errors + warm.non2xx + saturated.non2xx + half.non2xx,
    };
  });
  return medianRun(runs, (run) => run.cpuMicrosPerMessage);
}

/** Entries a batch answer accepted. */
function acceptedEntries(body: string): number {
  const { results } = JSON.parse(body) as { results?: { status?: string }[] };
  return (results ?? []).filter((result) => result.status === 'accepted').length;
}
