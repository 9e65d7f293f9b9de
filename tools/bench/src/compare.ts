/**
 * `npm run bench -- --compare before.json [after.json]`: the before/after table of two bench
 * reports, figure by figure, for the closing note of a change.
 */
import { readFile } from 'node:fs/promises';
import { total } from './edge-counter';
import type { BenchReport } from './report';
import { heldBack } from './targets';

/** One figure of a report: a number, or a word (a target's yes/no). */
export type Figure = number | string;

export interface CompareRow {
  readonly figure: string;
  readonly before: Figure | undefined;
  readonly after: Figure | undefined;
  /** `after / before - 1` in %, rounded to 0.1; absent unless both are numbers and before ≠ 0. */
  readonly changePercent?: number;
}

/** Profile areas with at least this share in either report are compared. */
const PROFILE_SHARE = 5;

/** Every figure of a report by a stable name, in report order. */
export function figuresOf(report: BenchReport): Map<string, Figure> {
  const out = new Map<string, Figure>();
  const put = (name: string, value: Figure | undefined) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isNaN(value)))
      out.set(name, value);
  };
  const { b, q, r } = report.baselines;
  put('B CPU µs/request', b.cpuMicrosPerRequest);
  put('B requests/s', b.requestsPerSecond);
  put('Q CPU µs/msg', q.cpuMicrosPerMessage);
  put('R CPU µs/msg', r.cpuMicrosPerMessage);
  for (const row of report.ingest) {
    const at = `ingest ${row.name}:`;
    put(`${at} CPU µs/msg`, row.cpuMicrosPerMessage);
    put(`${at} × B`, row.cpuRatioToB);
    put(`${at} msg/s at saturation`, row.messagesPerSecond);
    put(`${at} p50 ms at half load`, row.halfLoadP50Ms);
    put(`${at} p99 ms at half load`, row.halfLoadP99Ms);
    put(`${at} SQS requests/msg`, Math.round(total(row.requestsPerMessage.sqs) * 1e4) / 1e4);
    put(`${at} log B/msg`, row.logBytesPerMessage);
  }
  for (const row of report.worker) {
    const at = `worker ${row.channels} channels:`;
    put(`${at} msg/s`, row.messagesPerSecond);
    put(`${at} CPU µs/msg`, row.cpuMicrosPerMessage);
    put(`${at} × R`, row.cpuRatioToR);
    put(`${at} DynamoDB WCU/msg`, row.dynamoWriteUnitsPerMessage);
    put(`${at} DynamoDB RCU/msg`, row.dynamoReadUnitsPerMessage);
    put(`${at} SQS requests/msg`, Math.round(total(row.requestsPerMessage.sqs) * 1e4) / 1e4);
    put(
      `${at} DynamoDB requests/msg`,
      Math.round(total(row.requestsPerMessage.dynamodb) * 1e4) / 1e4,
    );
    put(`${at} PostgreSQL statements/msg`, row.postgresPerMessage.statements);
    put(`${at} PostgreSQL round trips/msg`, row.postgresPerMessage.roundTrips);
    put(`${at} PostgreSQL commits/msg`, row.postgresPerMessage.commits);
    put(`${at} SNS publishes per critical msg`, row.snsPublishesPerCriticalMessage);
    put(`${at} log B/msg`, row.logBytesPerMessage);
    put(`${at} peak RSS MB`, row.peakRssMb);
  }
  const e2e = report.endToEnd;
  put('end to end: rate msg/s', e2e.ratePerSecond);
  put('end to end: p50 ms', e2e.p50Ms);
  put('end to end: p99 ms', e2e.p99Ms);
  put('end to end: max ms', e2e.maxMs);
  put('end to end: POST → PostgreSQL p50 ms', e2e.postgresP50Ms);
  put('end to end: POST → PostgreSQL p99 ms', e2e.postgresP99Ms);
  put('end to end: SQS requests/msg', e2e.sqsRequestsPerMessage);
  for (const [operation, perMessage] of Object.entries(e2e.requestsPerMessage.sqs ?? {}))
    put(`end to end: SQS ${operation}/msg`, perMessage);
  put('end to end: highest sustained msg/s', report.sustained?.highestSustainedPerSecond);
  put('peak RSS ingest MB', report.peakRssMb.ingest);
  put('peak RSS worker MB', report.peakRssMb.worker);
  put(
    'cost USD per million messages (batched)',
    Math.round(report.cost.batched.usdPerMillion * 1000) / 1000,
  );
  for (const row of report.cpuProfile ?? [])
    for (const area of row.areas)
      put(`profile ${row.service} ${row.scenario}: ${area.area} µs/msg`, area.microsPerMessage);
  for (const row of heldBack(report)) put(`target: ${row.target}`, row.met ? 'met' : 'missed');
  return out;
}

/** Profile areas below `PROFILE_SHARE` % in both reports are left out (the table stays short). */
function minorAreas(before: BenchReport, after: BenchReport): Set<string> {
  const shares = new Map<string, number>();
  for (const report of [before, after])
    for (const row of report.cpuProfile ?? [])
      for (const area of row.areas) {
        const name = `profile ${row.service} ${row.scenario}: ${area.area} µs/msg`;
        shares.set(name, Math.max(shares.get(name) ?? 0, area.percent));
      }
  return new Set([...shares].filter(([, share]) => share < PROFILE_SHARE).map(([name]) => name));
}

/** Figure by figure, the before's order first, then figures only the after has. */
export function compareReports(before: BenchReport, after: BenchReport): CompareRow[] {
  const a = figuresOf(before);
  const b = figuresOf(after);
  const minor = minorAreas(before, after);
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((name) => !minor.has(name));
  return names.map((figure) => {
    const was = a.get(figure);
    const now = b.get(figure);
    const change =
      typeof was === 'number' && typeof now === 'number' && was !== 0
        ? { changePercent: Math.round((now / was - 1) * 1000) / 10 }
        : {};
    return { figure, before: was, after: now, ...change };
  });
}

const cell = (value: Figure | undefined) => (value === undefined ? '-' : String(value));

/** The Markdown before/after table, headed by each report's date, commit and machine. */
export function compareMarkdown(before: BenchReport, after: BenchReport): string {
  const head = (report: BenchReport) =>
    `${report.commit}, ${report.date}, ${report.machine.cores} cores, Node ${report.machine.node}, load average ${report.loadAverage.start.join(' ')}${report.profiled ? ', profiled' : ''}`;
  const rows = compareReports(before, after).map((row) => {
    const change =
      row.changePercent === undefined
        ? row.before !== row.after && row.before !== undefined && row.after !== undefined
          ? 'changed'
          : ''
        : `${row.changePercent > 0 ? '+' : ''}${row.changePercent.toFixed(1)} %`;
    return `| ${row.figure} | ${cell(row.before)} | ${cell(row.after)} | ${change} |`;
  });
  return [
    `Before: ${head(before)}.`,
    `After: ${head(after)}.`,
    '',
    '| figure | before | after | change |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}

/** Reads a bench.json, or one line saying why it is not one. */
export async function readReport(path: string): Promise<BenchReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the bench report ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const report = parsed as Partial<BenchReport> | null;
  if (
    !report ||
    typeof report !== 'object' ||
    !report.baselines ||
    !Array.isArray(report.ingest) ||
    !Array.isArray(report.worker) ||
    !report.endToEnd ||
    !report.cost
  )
    throw new Error(`${path} is not a bench report (no baselines, ingest, worker, endToEnd, cost)`);
  // Reports written before the header carried these fields still compare.
  return {
    commit: 'unknown commit',
    loadAverage: { start: [], end: [] },
    profiled: false,
    ...report,
  } as BenchReport;
}
