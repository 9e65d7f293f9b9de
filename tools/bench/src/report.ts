import { checkPassed, type CountCheck } from './context';
import type { CostSection } from './cost/report-section';
import type { RequestCounts } from './edge-counter';
import type { HttpBaseline, SqsBaseline } from './scenarios/baselines';
import type { EndToEndRow, SustainedStep } from './scenarios/end-to-end';
import type { IngestRow } from './scenarios/ingest';
import type { WorkerRow } from './scenarios/worker';

type Spread = { spread: [number, number] };

export interface BenchReport {
  readonly date: string;
  readonly quick: boolean;
  readonly runs: number;
  readonly machine: { cores: number; cpu: string; node: string };
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
}

const ops = (counts: RequestCounts, service: string) =>
  Object.entries(counts[service] ?? {})
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ') || '0';

const spread = (row: Spread, digits = 0) =>
  `${row.spread[0].toFixed(digits)}–${row.spread[1].toFixed(digits)}`;

/** The Markdown report: machine, baselines, ingest, worker, end to end, efficiency, cost, targets. */
export function renderMarkdown(report: BenchReport): string {
  const { b, q, r } = report.baselines;
  const single = report.ingest[0];
  const batch100 = report.ingest.find((row) => row.messagesPerRequest === 100);
  const slowestDrain = Math.min(...report.worker.map((row) => row.messagesPerSecond));
  const maxWcu = Math.max(...report.worker.map((row) => row.dynamoWriteUnitsPerMessage));
  const logCost =
    report.cost.batched.lines.find((line) => line.item === 'CloudWatch Logs')?.usdPerMillion ?? 0;
  const out: string[] = [
    `# Herald bench ${report.quick ? '(quick: counts only, figures not meaningful)' : ''}`,
    '',
    `${report.date} · ${report.machine.cores} cores (${report.machine.cpu}) · Node ${report.machine.node} · median of ${report.runs} run(s), range of the lead figure in brackets · ingest rate limit raised to ${report.rateLimitPerSecond}/s per key for the run · loopback only, everything on one host.`,
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
    `At ${report.endToEnd.ratePerSecond} msg/s: p50 ${report.endToEnd.p50Ms} ms, p99 ${report.endToEnd.p99Ms} ms, max ${report.endToEnd.maxMs} ms; ${report.endToEnd.accepted} acknowledged, ${report.endToEnd.storedInPostgres} in PostgreSQL, ${report.endToEnd.storedInDynamoDb} in DynamoDB; SQS ${report.endToEnd.sqsRequestsPerMessage} requests/msg (${ops(report.endToEnd.requestsPerMessage, 'sqs')}).`,
    ...(report.sustained
      ? [
          '',
          `Highest sustained rate with the queue bounded: **${report.sustained.highestSustainedPerSecond} msg/s** (steps: ${report.sustained.steps.map((step) => `${step.targetPerSecond}→${step.acceptedPerSecond} depth ${step.depthAtEnd}${step.bounded ? '' : ' ✗'}`).join('; ')}).`,
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
    '| target | measured | met |',
    '| --- | --- | --- |',
    target(
      'ingest single POST ≤ 3 × B CPU',
      `${single?.cpuRatioToB ?? '-'} ×`,
      (single?.cpuRatioToB ?? Infinity) <= 3,
    ),
    target(
      'ingest batch of 100 ≤ 1 × B per message',
      `${batch100?.cpuRatioToB ?? '-'} ×`,
      (batch100?.cpuRatioToB ?? Infinity) <= 1,
    ),
    target(
      'worker drain ≥ 1.2 × ingest single saturation',
      `${slowestDrain} vs ${single?.messagesPerSecond ?? '-'} msg/s`,
      slowestDrain >= 1.2 * (single?.messagesPerSecond ?? Infinity),
    ),
    target('≤ 1.1 DynamoDB WCU per 1 KB message, any spread', `${maxWcu}`, maxWcu <= 1.1),
    target(
      'end to end p99 ≤ 150 ms at half load',
      `${report.endToEnd.p99Ms} ms`,
      report.endToEnd.p99Ms <= 150,
    ),
    target(
      '≤ 0.35 SQS requests per message end to end',
      `${report.endToEnd.sqsRequestsPerMessage}`,
      report.endToEnd.sqsRequestsPerMessage <= 0.35,
    ),
    target(
      '≤ 200 MB RSS per service',
      `${report.peakRssMb.ingest} / ${report.peakRssMb.worker} MB`,
      Math.max(report.peakRssMb.ingest, report.peakRssMb.worker) <= 200,
    ),
    target(
      'CloudWatch Logs < 10 % of the per-message cost',
      `${((logCost / report.cost.batched.usdPerMillion) * 100).toFixed(1)} %`,
      logCost < 0.1 * report.cost.batched.usdPerMillion,
    ),
    '',
    `Count checks: ${report.checks.map((check) => `${check.what} ${checkPassed(check) ? `✓ (${check.actual})` : `✗ (${check.expected} acknowledged, ${check.actual} found)`}`).join('; ')}.`,
    '',
  ];
  return out.join('\n');
}

function target(what: string, measured: string, met: boolean): string {
  return `| ${what} | ${measured} | ${met ? 'yes' : 'no'} |`;
}
