/**
 * `npm run chaos [-- --quick]`: the fault, load and hostile-input suite against a private local
 * stack on loopback. Prints the table (or JSON), writes the JSON report, exits 1 on a failed verdict.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from './harness';
import { HelpRequested, parseChaosOptions, USAGE, UsageError, type ScenarioName } from './options';
import { formatReport, type ChaosReport, type ScenarioResult } from './report';
import type { ScenarioContext } from './scenarios/context';
import { hostileScenario } from './scenarios/hostile';
import { killScenario } from './scenarios/kill';
import { createLoadScenarios } from './scenarios/load';
import { dynamodbOutage, postgresOutage, sqsOutage } from './scenarios/outages';
import { poisonScenario } from './scenarios/poison';
import { sigtermScenario } from './scenarios/sigterm';
import { seededRandom } from './seeded-random';

const WORKSPACE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

async function main(): Promise<number> {
  const options = parseChaosOptions(process.argv.slice(2), WORKSPACE_ROOT);
  const say = (line: string) => {
    process.stderr.write(`chaos | ${line}\n`);
  };
  // Every restart of a service adds an exit listener (tools/local-stack's services.ts).
  process.setMaxListeners(0);
  const load = createLoadScenarios();
  const scenarios: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
    kill: killScenario,
    'postgres-outage': postgresOutage,
    'dynamodb-outage': dynamodbOutage,
    'sqs-outage': sqsOutage,
    sigterm: sigtermScenario,
    hostile: hostileScenario,
    poison: poisonScenario,
    soak: load.soak,
    burst: load.burst,
  };
  const startedAt = new Date();
  say(`seed ${options.seed}; scenarios ${options.scenarios.join(', ')}; starting a private stack`);
  const h = await startHarness(WORKSPACE_ROOT, say);
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    say('interrupted: stopping the stack');
    void h.close().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: ScenarioResult[] = [];
  try {
    say(`stack ready in ${Date.now() - startedAt.getTime()} ms`);
    const ctx: ScenarioContext = { h, options, say, random: seededRandom(options.seed) };
    for (const name of options.scenarios) {
      say(`${name}: running`);
      const began = Date.now();
      const result = await scenarios[name](ctx).catch((error: unknown) =>
        crashed(name, began, error),
      );
      results.push(result);
      say(
        `${name}: ${result.passed ? 'PASS' : 'FAIL'} in ${((Date.now() - began) / 1000).toFixed(1)} s`,
      );
      // A failed scenario may leave a service down: the next one starts from a running system.
      for (const service of [h.ingest, h.worker]) if (!service.alive) await service.start();
    }
  } finally {
    await h.close();
  }
  const report: ChaosReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    seed: options.seed,
    passed: results.every((result) => result.passed),
    results,
  };
  await mkdir(options.reportDir, { recursive: true });
  const file = join(
    options.reportDir,
    `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${formatReport(report)}\nJSON report: ${file}\n`,
  );
  return report.passed ? 0 : 1;
}

function crashed(name: string, began: number, error: unknown): ScenarioResult {
  return {
    scenario: name,
    sent: 0,
    acknowledged: 0,
    stored: 0,
    duplicates: 0,
    lost: 0,
    deadLettered: 0,
    recoveryMs: null,
    passed: false,
    failures: [
      `the scenario itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ],
    lostIds: [],
    duplicateIds: [],
    figures: {},
    durationMs: Date.now() - began,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof HelpRequested) {
      console.log(USAGE);
      process.exit(0);
    }
    if (error instanceof UsageError) {
      console.error(`chaos | ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error('chaos | failed:', error);
    process.exit(1);
  },
);
