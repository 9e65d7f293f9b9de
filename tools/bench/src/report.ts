import { checkPassed, type CountCheck } from './context';
import type { CostSection } from './cost/report-section';
import { formatOps as ops } from './edge-counter';
import type { Machine } from './machine';
import type { ProfileRow } from './profile/collector';
import { profileMarkdown } from './profile/markdown';
import { heldBack } from './targets';
import type { HttpBaseline, SqsBaseline } from './scenarios/baselines';
import { delivered, type EndToEndRow, type SustainedStep } from './scenarios/end-to-end';
import type { IngestRow } from './scenarios/ingest';
import type { WorkerRow } from './scenarios/worker';

type Spread = { spread: [number, number] };

export interface BenchReport {
  readonly date: string;
  /** The measured tree (`+dirty` with uncommitted changes). */
  readonly commit: string;
  /** /proc/loadavg (1, 5, 15 min) when the run started and ended: the machine is shared. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly quick: boolean;
  readonly runs: number;
  /** Whether the services ran under the CPU profiler (which costs a few % of their CPU). */
  readonly profiled: boolean;
  readonly machine: Machine;
  /** The ingest's per-key rate limit for the run (raised so it never caps a measurement). */
  readonly rateLimitPerSecond: number;
  readonly baselines: { b: HttpBaseline; q: SqsBaseline; r: SqsBaseline };
  readonly ingest: readonly (IngestRow & Spread)[];
  readonly worker: readonly (WorkerRow & Spread)[];
  readonly endToEnd: EndToEndRow;
  readonly sustained?: { highestSustainedPerSecond: number; steps: SustainedStep[] };
  readonly peakRssMb: { ingest: number; worker: number };
  readonly checks: readonly CountCheck[];
  readonly cost: CostSection;
  /** `--profile`: self time by area in each scenario's saturation phases. */
  readonly cpuProfile?: readonly ProfileRow[];
}

const spread = (row: Spread, digits = 0) =>
  `${row.spread[0].toFixed(digits)}–${row.spread[1].toFixed(digits)}`;

/** The Markdown report: machine, baselines, ingest, worker, end to end, efficiency, cost, targets. */
export function renderMarkdown(report: BenchReport): string {
  const { b, q, r } = report.baselines;
  const m = report.machine;
  const out: string[] = [
    `# Herald bench ${report.quick ? '(quick: counts only, figures not meaningful)' : ''}`,
    '',
    '| date | commit | cores | CPU | Node | runs | load average at start → end (1/5/15 min) | CPU profiler |',
    '| --- | --- | ---: | --- | --- | ---: | --- | --- |',
    `| ${report.date} | ${report.commit} | ${m.cores} | ${m.cpu} | ${m.node} | ${report.runs} | ${report.loadAverage.start.join(' ')} → ${report.loadAverage.end.join(' ')} | ${report.profiled ? "on (the services' CPU and RSS include its cost)" : 'off'} |`,
    '',
    `Each figure is the median run of ${report.runs}; the range over the runs of the lead figure (CPU per message) is in brackets. The ingest rate limit is raised to ${report.rateLimitPerSecond}/s per key for the run. Loopback only, everything on one shared host: rates move with the machine's load, CPU per message and the ratios to the baselines measured in the same run much less.`,
    '',
    '## Baselines',
    '',
    '| baseline | rate | CPU µs per request/message |',
    '| --- | ---: | ---: |',
    `| B bare Hono JSON POST → 202 | ${b.requestsPerSecond} req/s | ${b.cpuMicrosPerRequest} (${spread(b, 1)}) |`,
    `| Q raw SendMessageBatch loop (16 callers, 10 a call) | ${q.messagesPerSecond} msg/s | ${q.cpuMicrosPerMessage} |`,
    `| R raw ReceiveMessage + DeleteMessageBatch loop | ${r.messagesPerSecond} msg/s | ${r.cpuMicrosPerMessage} |`,
    '',
    '## Ingest',
    '',
    '| scenario | CPU µs/msg | × B | msg/s at saturation | p50 / p99 ms at half load | SQS requests/msg | log B/msg | acknowledged = enqueued |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
    ...report.ingest.map(
      (row) =>
        `| ${row.name} | ${row.cpuMicrosPerMessage} (${spread(row, 1)}) | ${row.cpuRatioToB} | ${row.messagesPerSecond} | ${row.halfLoadP50Ms} / ${row.halfLoadP99Ms} | ${ops(row.requestsPerMessage, 'sqs')} | ${row.logBytesPerMessage} | ${row.accepted} = ${row.enqueued} |`,
    ),
    '',
    '## Worker (drain from a pre-filled queue)',
    '',
    '| channels | msg/s | CPU µs/msg | × R | DynamoDB WCU/msg | RCU/msg | SQS requests/msg | DynamoDB requests/msg | PostgreSQL per msg | SNS publishes per critical | log B/msg |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |',
    ...report.worker.map((row) => {
      const pg = row.postgresPerMessage;
      return `| ${row.channels} | ${row.messagesPerSecond} | ${row.cpuMicrosPerMessage} (${spread(row, 1)}) | ${row.cpuRatioToR} | ${row.dynamoWriteUnitsPerMessage} | ${row.dynamoReadUnitsPerMessage} | ${ops(row.requestsPerMessage, 'sqs')} | ${ops(row.requestsPerMessage, 'dynamodb')} | ${pg.statements} statements, ${pg.roundTrips} round trips, ${pg.commits} commits, ${pg.inserted} rows inserted, ${pg.updated} updated | ${row.snsPublishesPerCriticalMessage} | ${row.logBytesPerMessage} |`;
    }),
    `\nMessages of ${report.worker[0]?.bytesPerMessage ?? 0} B (1 % critical); counts from the stack: SQS/SNS/DynamoDB requests by the edge, write units by dynalite (ReturnConsumedCapacity), PostgreSQL statements and round trips by a counting proxy, commits and rows by pg_stat_database.`,
    '',
    '## End to end (POST → stored in PostgreSQL and DynamoDB)',
    '',
    `At ${report.endToEnd.ratePerSecond} msg/s: p50 ${report.endToEnd.p50Ms} ms, p99 ${report.endToEnd.p99Ms} ms, max ${report.endToEnd.maxMs} ms (of which POST → row in PostgreSQL p50 ${report.endToEnd.postgresP50Ms} ms, p99 ${report.endToEnd.postgresP99Ms} ms); ${report.endToEnd.accepted} acknowledged, ${report.endToEnd.storedInPostgres} in PostgreSQL, ${report.endToEnd.storedInDynamoDb} in DynamoDB; SQS ${report.endToEnd.sqsRequestsPerMessage} requests/msg (${ops(report.endToEnd.requestsPerMessage, 'sqs')}).`,
    ...(report.sustained
      ? [
          '',
          `Highest sustained rate with the queue bounded: **${report.sustained.highestSustainedPerSecond} msg/s** (steps: ${report.sustained.steps.map((step) => `${step.targetPerSecond}→${step.acceptedPerSecond} depth ${step.depthAtEnd}${step.bounded ? '' : ' ✗'}`).join('; ')}).${loadBoundNote(report.sustained.steps)}`,
        ]
      : []),
    '',
    `Peak RSS: ingest ${report.peakRssMb.ingest} MB, worker ${report.peakRssMb.worker} MB.`,
    '',
    '## Cost',
    '',
    report.cost.markdown,
    '## Targets (reported, never asserted)',
    '',
    ...(report.quick
      ? [
          'Not judged in a quick run: one short run at low load counts messages, it does not measure speed (a ratio such as 0.2 × B only means the run was too short). `npm run bench` judges them.',
        ]
      : [
          '| target | measured | met | what holds it back |',
          '| --- | --- | --- | --- |',
          ...heldBack(report).map(
            (row) =>
              `| ${row.target} | ${row.measured} | ${row.met ? 'yes' : 'no'} | ${row.met ? '' : row.heldBackBy} |`,
          ),
        ]),
    ...profileMarkdown(report.cpuProfile),
    '',
    `Count checks: ${report.checks.map((check) => `${check.what} ${checkPassed(check) ? `✓ (${check.actual})` : `✗ (${check.expected} acknowledged, ${check.actual} found)`}`).join('; ')}.`,
    '',
  ];
  return out.join('\n');
}

/**
 * The search stops at a step the load generator could not deliver (under 90 % of its target):
 * when that step was still bounded, the figure is the generator's limit, not the pipeline's.
 */
export function loadBoundNote(steps: readonly SustainedStep[]): string {
  const last = steps.at(-1);
  if (!last?.bounded || delivered(last)) return '';
  const percent = Math.round((100 * last.acceptedPerSecond) / last.targetPerSecond);
  return ` A lower bound: the load generator delivered ${percent} % of the last step's rate with the queue still bounded, so the pipeline's own limit was not reached.`;
}
