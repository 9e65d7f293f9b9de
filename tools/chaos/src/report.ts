/** One scenario's row of the table, and the details behind it. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly sent: number;
  readonly acknowledged: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly deadLettered: number;
  /** From the end of the fault to everything stored and the queue drained; null when it never did. */
  readonly recoveryMs: number | null;
  readonly passed: boolean;
  /** One line per broken expectation, naming ids or request cases. */
  readonly failures: readonly string[];
  readonly lostIds: readonly string[];
  readonly duplicateIds: readonly string[];
  /** Scenario-specific figures (shed rate, memory slope, first 202 after the fault…). */
  readonly figures: Readonly<Record<string, number | string | boolean | null>>;
  readonly durationMs: number;
}

export interface ChaosReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly seed: number;
  readonly passed: boolean;
  readonly results: readonly ScenarioResult[];
}

/** Failures printed per scenario; the JSON report has them all. */
const SHOW_FAILURES = 40;

const COLUMNS = [
  'scenario',
  'sent',
  'acknowledged',
  'stored',
  'duplicates',
  'lost',
  'dead-lettered',
  'recovery',
  'verdict',
] as const;

/** The table of a run, then each failure and each scenario's figures, as plain text. */
export function formatReport(report: ChaosReport): string {
  const rows = report.results.map((result) => [
    result.scenario,
    String(result.sent),
    String(result.acknowledged),
    String(result.stored),
    String(result.duplicates),
    String(result.lost),
    String(result.deadLettered),
    result.recoveryMs === null ? '—' : `${(result.recoveryMs / 1000).toFixed(1)} s`,
    result.passed ? 'PASS' : 'FAIL',
  ]);
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => row[index]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join(' | ')} |`;
  const out = [
    line(COLUMNS),
    `|${widths.map((width, index) => (index === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
  ];
  for (const result of report.results) {
    const figures = Object.entries(result.figures)
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(' ');
    out.push(`${result.scenario} (${(result.durationMs / 1000).toFixed(1)} s): ${figures}`);
    for (const failure of result.failures.slice(0, SHOW_FAILURES)) out.push(`  FAIL ${failure}`);
    if (result.failures.length > SHOW_FAILURES)
      out.push(
        `  … and ${result.failures.length - SHOW_FAILURES} more failures (every one is in the JSON report)`,
      );
  }
  out.push(...loadSummary(report.results));
  out.push(
    '',
    `${report.results.filter((result) => result.passed).length} of ${report.results.length} scenarios passed (seed ${report.seed})`,
  );
  return out.join('\n');
}

/** The load figures issue 9's closing note asks for, in words: memory slopes, queue depth, shed rate. */
export function loadSummary(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  const soak = results.find((result) => result.scenario === 'soak')?.figures;
  if (soak)
    lines.push(
      `soak: ${String(soak.rateMsgPerSecond)} msg/s (half of ${String(soak.capacityMsgPerSecond)}), ` +
        `errors ${String(soak.errorRatePercent)} %, memory slope (least squares over RSS every 5 s, ` +
        `after a 20 % warm-up) ingest ${String(soak.ingestSlopeMBPerMin)} MB/min, worker ` +
        `${String(soak.workerSlopeMBPerMin)} MB/min${soak.slopeJudged === true ? '' : ' (soak too short to judge)'}, ` +
        `queue depth max ${String(soak.maxQueueDepth)} (bound ${String(soak.queueDepthBound)})`,
    );
  const burst = results.find((result) => result.scenario === 'burst')?.figures;
  if (burst)
    lines.push(
      `burst: ${String(burst.offeredPerSecond)} req/s offered (5 × ${String(burst.ingestCapacityMsgPerSecond)}), ` +
        `shed rate ${String(burst.shedRatePercent)} % (${String(burst.statuses)}; ${String(burst.shedAnswers)}), ` +
        `${String(burst.timeouts)} timeouts, ${String(burst.connectionErrors)} connection errors, ` +
        `first 202 ${String(burst.firstAckAfterBurstMs)} ms after the burst`,
    );
  return lines.length === 0 ? [] : ['', ...lines];
}
