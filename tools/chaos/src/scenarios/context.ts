import { randomBytes } from 'node:crypto';
import type { Harness } from '../harness';
import type { ChaosOptions } from '../options';
import { Ledger } from '../producer';
import type { ScenarioResult } from '../report';
import { queueDepth, settle, snapshot } from '../snapshot';
import { judgeStores } from '../verdict';

export interface ScenarioContext {
  readonly h: Harness;
  readonly options: ChaosOptions;
  readonly say: (line: string) => void;
  /** Seeded, so a failing run can be replayed with --seed. */
  readonly random: () => number;
}

/** A new tenant with its own key, so each scenario is judged on its own messages only. */
export async function newLedger(h: Harness, scenario: string): Promise<Ledger> {
  const tenant = `chaos-${scenario}-${randomBytes(3).toString('hex')}`;
  return new Ledger(tenant, await h.keyFor(tenant));
}

export async function dlqDepth(h: Harness): Promise<number> {
  return queueDepth(h.sqs, h.stack.dlqUrl);
}

export interface FinishOptions {
  readonly started: number;
  readonly dlqBefore: number;
  /** When the last fault ended; recovery runs from here to everything stored. */
  readonly faultEndedAt: number;
  readonly settleTimeoutMs: number;
  readonly expectDead?: number;
  readonly failures?: readonly string[];
  readonly figures?: ScenarioResult['figures'];
  /** Acknowledged ids that must not be stored (the poison). */
  readonly exclude?: readonly string[];
}

/** Waits for the stores to settle, judges them and builds the scenario's row. */
export async function finish(
  ctx: ScenarioContext,
  name: string,
  ledger: Ledger,
  options: FinishOptions,
): Promise<ScenarioResult> {
  for (const id of options.exclude ?? []) ledger.acknowledged.delete(id);
  const settled = await settle(ctx.h, ledger, options.settleTimeoutMs);
  const recoveryMs = settled === undefined ? null : Date.now() - options.faultEndedAt;
  const verdict = judgeStores(
    ledger.acknowledged,
    await snapshot(ctx.h, ledger, options.dlqBefore),
    options.expectDead ?? 0,
  );
  const failures = [...(options.failures ?? []), ...verdict.failures];
  if (settled === undefined)
    failures.unshift(`not settled within ${options.settleTimeoutMs / 1000} s (stores or queue)`);
  return {
    scenario: name,
    sent: ledger.sent,
    acknowledged: ledger.acknowledged.size + (options.exclude?.length ?? 0),
    stored: verdict.stored,
    duplicates: verdict.duplicates,
    lost: verdict.lost,
    deadLettered: (await dlqDepth(ctx.h)) - options.dlqBefore,
    recoveryMs,
    passed: failures.length === 0,
    failures,
    lostIds: verdict.lostIds,
    duplicateIds: verdict.duplicateIds,
    figures: {
      refused: ledger.refused(),
      ...Object.fromEntries(
        [...ledger.refusals].map(([status, count]) => [`refused:${status}`, count]),
      ),
      ...options.figures,
    },
    durationMs: Date.now() - options.started,
  };
}
