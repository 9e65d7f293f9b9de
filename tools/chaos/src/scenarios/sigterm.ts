import { setTimeout as sleep } from 'node:timers/promises';
import { SHUTDOWN } from '@herald/config';
import { produce } from '../producer';
import type { ScenarioResult } from '../report';
import { dlqDepth, finish, newLedger, type ScenarioContext } from './context';

const CYCLE_SECONDS = 12;

/**
 * docs/invariants.md#8 under load, as a Fargate Spot interruption: both tasks get SIGTERM at once, must
 * drain and exit 0 inside the ECS stop timeout, and are replaced on the same ports.
 */
export async function sigtermScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { h, options } = ctx;
  const started = Date.now();
  const ledger = await newLedger(h, 'sigterm');
  const dlqBefore = await dlqDepth(h);
  const flowSeconds = options.sigterms * CYCLE_SECONDS;
  const producing = produce(ledger, {
    ingestUrl: h.ingestUrl,
    count: options.faultMessages,
    ratePerSecond: options.faultMessages / flowSeconds,
    deadline: Date.now() + flowSeconds * 3_000 + 60_000,
  });
  const failures: string[] = [];
  const drains: string[] = [];
  let lastRestart = Date.now();
  for (let round = 1; round <= options.sigterms; round += 1) {
    await sleep(2_000 + Math.floor(ctx.random() * 3_000));
    const [ingest, worker] = await Promise.all([
      h.ingest.signal('SIGTERM'),
      h.worker.signal('SIGTERM'),
    ]);
    for (const [name, exit] of [
      ['ingest', ingest],
      ['worker', worker],
    ] as const) {
      drains.push(`${name}:${exit.ms}ms`);
      if (exit.code !== 0)
        failures.push(
          `round ${round}: ${name} exited with ${String(exit.code ?? exit.signal)} after SIGTERM`,
        );
      if (exit.ms > SHUTDOWN.stopTimeoutSeconds * 1000)
        failures.push(
          `round ${round}: ${name} took ${exit.ms} ms, past the ${SHUTDOWN.stopTimeoutSeconds} s stop timeout`,
        );
    }
    await Promise.all([h.ingest.start(), h.worker.start()]);
    lastRestart = Date.now();
  }
  await producing;
  ctx.say(`sigterm: drains ${drains.join(', ')}`);
  return finish(ctx, 'sigterm', ledger, {
    started,
    dlqBefore,
    faultEndedAt: lastRestart,
    settleTimeoutMs: 180_000,
    failures,
    figures: { rounds: options.sigterms, drains: drains.join(' ') },
  });
}
