import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeService } from '../fault-proxy';
import { produce } from '../producer';
import type { ScenarioResult } from '../report';
import { dlqDepth, finish, newLedger, type ScenarioContext } from './context';

interface Outage {
  readonly name: string;
  readonly seconds: number;
  readonly inject: () => Promise<void>;
  readonly heal: () => Promise<void>;
}

const LEAD_SECONDS = 4;
const TAIL_SECONDS = 6;

/**
 * Messages flow for the whole outage and a little before and after it: what the ingest
 * acknowledged must be stored once the part is back, and the metadata must converge.
 */
async function outageScenario(ctx: ScenarioContext, outage: Outage): Promise<ScenarioResult> {
  const { h, options } = ctx;
  const started = Date.now();
  const ledger = await newLedger(h, outage.name);
  const dlqBefore = await dlqDepth(h);
  const flowSeconds = LEAD_SECONDS + outage.seconds + TAIL_SECONDS;
  const producing = produce(ledger, {
    ingestUrl: h.ingestUrl,
    count: options.faultMessages,
    ratePerSecond: options.faultMessages / flowSeconds,
    deadline: Date.now() + flowSeconds * 2_000 + 30_000,
  });
  await sleep(LEAD_SECONDS * 1000);
  const acceptedBefore = ledger.acknowledged.size;
  await outage.inject();
  const injectedAt = Date.now();
  await sleep(outage.seconds * 1000);
  const acceptedDuring = ledger.acknowledged.size - acceptedBefore;
  await outage.heal();
  ledger.markFaultEnded();
  const faultEndedAt = Date.now();
  await producing;
  return finish(ctx, outage.name, ledger, {
    started,
    dlqBefore,
    faultEndedAt,
    settleTimeoutMs: 180_000,
    figures: {
      outageSeconds: Math.round((faultEndedAt - injectedAt) / 100) / 10,
      acknowledgedDuringOutage: acceptedDuring,
      firstAckAfterHealMs: ledger.firstAckAfter ?? null,
    },
  });
}

export function postgresOutage(ctx: ScenarioContext): Promise<ScenarioResult> {
  return outageScenario(ctx, {
    name: 'postgres-outage',
    seconds: ctx.options.postgresOutageSeconds,
    inject: () => ctx.h.stack.postgres.stop(),
    heal: () => ctx.h.stack.postgres.start(),
  });
}

function edgeOutage(ctx: ScenarioContext, service: EdgeService): Promise<ScenarioResult> {
  return outageScenario(ctx, {
    name: `${service}-outage`,
    seconds: ctx.options.edgeOutageSeconds,
    inject: () => {
      ctx.h.proxy.down(service);
      return Promise.resolve();
    },
    heal: () => {
      ctx.h.proxy.up(service);
      return Promise.resolve();
    },
  });
}

export const dynamodbOutage = (ctx: ScenarioContext) => edgeOutage(ctx, 'dynamodb');
export const sqsOutage = (ctx: ScenarioContext) => edgeOutage(ctx, 'sqs');
