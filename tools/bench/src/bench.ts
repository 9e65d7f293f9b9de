/**
 * The one benchmark of the pipeline: `npm run bench` (figures) or `npm run bench -- --quick`
 * (CI: checks that every acknowledged message was stored, never a speed).
 *
 * Starts its own local stack, runs the baselines B (bare Hono), Q (raw SendMessageBatch loop)
 * and R (raw ReceiveMessage + DeleteMessageBatch loop) and the production services in their own
 * processes, counts at the stack, and writes reports/bench/bench.json and bench.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import { createDatabase, createPool, ensureApiKey } from '@herald/db';
import { startStack } from '@herald/local-stack';
import {
  BENCH_RATE_LIMIT,
  checkPassed,
  type BenchContext,
  type BenchProfile,
  FULL,
  QUICK,
  WORKSPACE,
} from './context';
import { costSection } from './cost/report-section';
import { compareMarkdown, compareReports, readReport } from './compare';
import { EdgeCounter } from './edge-counter';
import { commitOf, loadAverage, machine } from './machine';
import { ProfileCollector } from './profile/collector';
import { startPgCountProxy } from './pg-count-proxy';
import { renderMarkdown, type BenchReport } from './report';
import { baselineHttp, rawSqsLoop } from './scenarios/baselines';
import { endToEnd, sustainedRate } from './scenarios/end-to-end';
import { BENCH_KEYS, ingestScenario, startIngest } from './scenarios/ingest';
import { startWorker, workerScenarios } from './scenarios/worker';
import { purge } from './queues';

const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--only ingest|worker] [--profile] [--cpu-prof DIR]
       npm run bench -- --compare BEFORE.json [AFTER.json] [--json]
  --quick          one short run of each scenario (under a minute); fails unless every count matches
  --runs N         repetitions of each scenario, the report shows the median run (default 3)
  --only PART      only B + ingest, or Q + R + worker: prints their rows as JSON (before/after figures)
  --messages N     messages per worker drain (100-100000; default 1000, 500 with --quick)
  --profile        run the ingest and the worker under node --cpu-prof and summarize the self time
                   of their saturation phases by package in the report (profiles in reports/bench/profiles)
  --cpu-prof DIR   as --profile, profiles in DIR
  --compare FILE   print the before/after table of two bench.json reports (AFTER defaults to
                   reports/bench/bench.json) and exit; --json prints it as JSON`;

function profileFromArgs(argv: readonly string[]): BenchProfile | Comparison {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      compare: { type: 'string' },
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      messages: { type: 'string' },
      'cpu-prof': { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.compare !== undefined) {
    if (positionals.length > 1)
      throw new Error(`--compare: expected at most one AFTER report, got ${positionals.join(' ')}`);
    return {
      compare: resolve(values.compare),
      after: resolve(positionals[0] ?? resolve(WORKSPACE, 'reports/bench/bench.json')),
      json: values.json,
    };
  }
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals.join(' ')}`);
  const base = values.quick ? QUICK : FULL;
  const only = values.only;
  if (only !== undefined && only !== 'ingest' && only !== 'worker')
    throw new Error(`--only: expected ingest or worker, got ${only}`);
  const part: BenchProfile['only'] = only;
  const runs = values.runs === undefined ? base.runs : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 9)
    throw new Error(`--runs: expected a whole number from 1 to 9, got ${String(values.runs)}`);
  const messages = values.messages === undefined ? base.workerMessages : Number(values.messages);
  if (!Number.isInteger(messages) || messages < 100 || messages > 100_000)
    throw new Error(
      `--messages: expected a whole number from 100 to 100000, got ${String(values.messages)}`,
    );
  const cpuProfDir =
    values['cpu-prof'] !== undefined
      ? { cpuProfDir: resolve(values['cpu-prof']) }
      : values.profile
        ? { cpuProfDir: resolve(WORKSPACE, 'reports/bench/profiles') }
        : {};
  return {
    ...base,
    runs,
    workerMessages: messages,
    ...(part ? { only: part } : {}),
    ...cpuProfDir,
  };
}

/** `--compare BEFORE [AFTER]`: print the before/after table of two reports and exit. */
interface Comparison {
  readonly compare: string;
  readonly after: string;
  readonly json: boolean;
}

async function printComparison(comparison: Comparison): Promise<void> {
  const before = await readReport(comparison.compare);
  const after = await readReport(comparison.after);
  console.log(
    comparison.json
      ? JSON.stringify(compareReports(before, after), null, 2)
      : compareMarkdown(before, after),
  );
}

/** `--only`: one part's rows, for the before/after figures of one change. */
async function runPart(ctx: BenchContext, part: 'ingest' | 'worker'): Promise<unknown> {
  const { stack, profile } = ctx;
  if (part === 'ingest') {
    const b = await baselineHttp(ctx);
    const ingest = await startIngest(ctx);
    try {
      const rows = [];
      for (const size of [1, 10, 100])
        rows.push(await ingestScenario(ctx, ingest, size, b.cpuMicrosPerRequest));
      return { b, ingest: rows, peakRssMb: ingest.rss().peakRssMb };
    } finally {
      await ingest.stop();
    }
  }
  await purge(ctx.sqs, stack.queueUrl);
  const q = await rawSqsLoop(ctx, 'send', stack.queueUrl, {
    count: profile.workerMessages,
    channels: 20,
  });
  const r = await rawSqsLoop(ctx, 'receive', stack.queueUrl, { count: profile.workerMessages });
  const workers = await workerScenarios(ctx, r);
  return { q, r, worker: workers.rows };
}

async function run(
  ctx: BenchContext,
  header: Pick<BenchReport, 'commit' | 'loadAverage'>,
): Promise<BenchReport> {
  const { stack, profile } = ctx;
  const say = ctx.log;
  say('B: bare Hono on @hono/node-server');
  const b = await baselineHttp(ctx);
  say('ingest: single POST, batch of 10, batch of 100');
  const ingest = await startIngest(ctx);
  let worker;
  try {
    const ingestRows = [];
    for (const size of [1, 10, 100])
      ingestRows.push(await ingestScenario(ctx, ingest, size, b.cpuMicrosPerRequest));
    const ingestPeakRssMb = ingest.rss().peakRssMb;
    say('Q and R: raw SDK loops');
    await purge(ctx.sqs, stack.queueUrl);
    const q0 = await rawSqsLoop(ctx, 'send', stack.queueUrl, {
      count: profile.workerMessages,
      channels: 20,
    });
    const r = await rawSqsLoop(ctx, 'receive', stack.queueUrl, { count: profile.workerMessages });
    say(
      `worker: drain ${profile.workerMessages} messages, channels ${profile.channels.join(', ')}`,
    );
    const workers = await workerScenarios(ctx, r);
    const q =
      [q0, ...workers.q].sort((a, b2) => a.cpuMicrosPerMessage - b2.cpuMicrosPerMessage)[
        Math.floor(workers.q.length / 2)
      ] ?? q0;
    say('end to end');
    worker = await startWorker(ctx);
    const single = ingestRows[0]?.messagesPerSecond ?? 100;
    const drain = Math.min(...workers.rows.map((row) => row.messagesPerSecond));
    const rate = Math.max(10, Math.min(single, drain) / 2);
    const e2e = await endToEnd(ctx, { ingest, worker }, profile.quick ? Math.min(rate, 100) : rate);
    const sustained = profile.sustainedSearch
      ? await sustainedRate(
          ctx,
          { ingest, worker },
          Math.min(single, drain),
          [0.6, 0.8, 1, 1.2, 1.5],
        )
      : undefined;
    const rss = {
      ingest: ingestPeakRssMb,
      worker: Math.max(worker.rss().peakRssMb, ...workers.rows.map((row) => row.peakRssMb)),
    };
    return {
      date: new Date().toISOString(),
      commit: header.commit,
      loadAverage: { ...header.loadAverage, end: loadAverage() },
      quick: profile.quick,
      runs: profile.runs,
      profiled: ctx.profiler !== undefined,
      machine: machine(),
      rateLimitPerSecond: BENCH_RATE_LIMIT,
      baselines: { b, q, r },
      ingest: ingestRows,
      worker: workers.rows,
      endToEnd: e2e,
      ...(sustained ? { sustained } : {}),
      peakRssMb: rss,
      checks: ctx.checks,
      cost: costSection(ingestRows, workers.rows, e2e),
    };
  } finally {
    await Promise.allSettled([ingest.stop(), worker?.stop()]);
  }
}

async function main(): Promise<void> {
  const parsed = profileFromArgs(process.argv.slice(2));
  if ('compare' in parsed) {
    await printComparison(parsed);
    return;
  }
  const profile = parsed;
  const header = {
    commit: commitOf(WORKSPACE),
    loadAverage: { start: loadAverage(), end: [] as number[] },
  };
  const started = Date.now();
  const log = (line: string) => {
    console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  };
  log(
    `${profile.quick ? 'quick run' : `full run, ${profile.runs} runs per scenario`}, commit ${header.commit}, load average ${header.loadAverage.start.join(' ')}`,
  );
  const profiler = profile.cpuProfDir
    ? new ProfileCollector(profile.cpuProfDir, WORKSPACE)
    : undefined;
  await profiler?.prepare();
  const edge = new EdgeCounter();
  // Durable PostgreSQL (fsync on), as in production.
  const stack = await startStack({ nameSuffix: 'bench', log: edge.sink });
  const pool = createPool({ connectionString: stack.databaseUrl, max: 2 });
  const pgProxy = await startPgCountProxy(
    new URL(stack.databaseUrl).port ? Number(new URL(stack.databaseUrl).port) : 5432,
  );
  const sqs = createSqsClient({ region: stack.region, endpoint: stack.awsEndpoint });
  // Queue depth polls and purges are the bench's, not the pipeline's: the counts leave them out.
  edge.exclude(sqs, 'sqs');
  const dynamo = createDynamoDbDocumentClient({
    region: stack.region,
    endpoint: stack.awsEndpoint,
  });
  try {
    const db = createDatabase(pool);
    for (const key of Object.values(BENCH_KEYS))
      await ensureApiKey(db, {
        tenant: key.tenant,
        name: key.tenant,
        scopes: ['messages:write'],
        secret: key.secret,
      });
    const ctx: BenchContext = {
      profile,
      stack,
      edge,
      pgProxy,
      pool,
      sqs,
      dynamo,
      awsEnv: {
        AWS_REGION: stack.region,
        AWS_ENDPOINT_URL: stack.awsEndpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      log,
      checks: [],
      ...(profiler ? { profiler } : {}),
    };
    if (profile.only) {
      const part = await runPart(ctx, profile.only);
      console.log(
        JSON.stringify(
          {
            machine: machine(),
            profile,
            ...(part as object),
            ...(profiler ? { cpuProfile: await profiler.summarize() } : {}),
            checks: ctx.checks,
          },
          null,
          2,
        ),
      );
      const failedPart = ctx.checks.filter((check) => !checkPassed(check));
      if (failedPart.length > 0) process.exitCode = 1;
      return;
    }
    const measured = await run(ctx, header);
    // Every service has exited by now: their profiles are written.
    const report: BenchReport = profiler
      ? { ...measured, cpuProfile: await profiler.summarize() }
      : measured;
    const markdown = renderMarkdown(report);
    const out = resolve(WORKSPACE, 'reports/bench');
    await mkdir(out, { recursive: true });
    await writeFile(resolve(out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(resolve(out, 'bench.md'), markdown);
    console.log(`\n${markdown}`);
    log(`written to ${out}/bench.json and bench.md`);
    const failed = report.checks.filter((check) => !checkPassed(check));
    for (const check of failed)
      console.error(
        `count mismatch: ${check.what}: expected ${check.expected}, got ${check.actual}`,
      );
    if (failed.length > 0 || report.checks.length === 0) process.exitCode = 1;
  } finally {
    sqs.destroy();
    dynamo.destroy();
    await pool.end();
    await pgProxy.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
