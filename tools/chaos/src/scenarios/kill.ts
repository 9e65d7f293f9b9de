import { setTimeout as sleep } from 'node:timers/promises';
import { produce } from '../producer';
import type { ScenarioResult } from '../report';
import { dlqDepth, finish, newLedger, type ScenarioContext } from './context';

/** Seconds one kill-and-restart cycle takes on a loaded machine (restart included). */
const CYCLE_SECONDS = 5;

/**
 * docs/invariants.md#2 to #4 under crashes: the worker is SIGKILLed at random moments `kills` times while
 * `messages` flow through the ingest (5 % critical), and restarted each time, as ECS would.
 */
export async function killScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { h, options } = ctx;
  const started = Date.now();
  const ledger = await newLedger(h, 'kill');
  const dlqBefore = await dlqDepth(h);
  const flowSeconds = Math.max(15, options.kills * CYCLE_SECONDS);
  const producing = produce(ledger, {
    ingestUrl: h.ingestUrl,
    count: options.messages,
    ratePerSecond: options.messages / flowSeconds,
    deadline: Date.now() + flowSeconds * 3_000 + 60_000,
  });
  const plan: string[] = [];
  const failures: string[] = [];
  const killingEnds = Date.now() + flowSeconds * 3_000;
  for (let kill = 0; kill < options.kills && Date.now() < killingEnds; kill += 1) {
    const delay = 300 + Math.floor(ctx.random() * 2_700);
    await sleep(delay);
    const exit = await h.worker.signal('SIGKILL');
    if (exit.signal !== 'SIGKILL')
      failures.push(
        `kill ${kill + 1}: the worker exited with ${String(exit.code)} before the SIGKILL`,
      );
    plan.push(`${delay}ms`);
    await h.worker.start();
  }
  if (plan.length < options.kills)
    failures.push(
      `only ${plan.length} of ${options.kills} SIGKILLs fitted in ${flowSeconds * 3} s`,
    );
  await producing;
  const faultEndedAt = Date.now();
  ctx.say(`kill: ${plan.length} SIGKILLs after ${plan.join(', ')}`);
  return finish(ctx, 'kill', ledger, {
    started,
    dlqBefore,
    faultEndedAt,
    // A floor of 20 messages/s for the drain: what the worker managed on the loaded CI machine.
    settleTimeoutMs: 120_000 + options.messages * 50,
    failures,
    figures: { kills: plan.length },
  });
}
