import { setTimeout as sleep } from 'node:timers/promises';
import type { Harness } from '../harness';
import { runLoad } from '../load-generator';
import type { Ledger } from '../producer';
import type { ScenarioResult } from '../report';
import { queueDepth, settle } from '../snapshot';
import { slopePerMinute } from '../slope';
import { dlqDepth, finish, newLedger, type ScenarioContext } from './context';

/** Keys the load is spread over: the per-key rate limit (100/s) must not be what is measured. */
const LOAD_KEYS = 16;
const SAMPLE_MS = 5_000;
/** Memory is judged only on soaks this long: a shorter one measures the warm-up. */
const SLOPE_MIN_SOAK_SECONDS = 120;
const MAX_SLOPE_MB_PER_MINUTE = 5;
const MAX_ERROR_RATE = 0.01;
const REQUEST_TIMEOUT_SECONDS = 10;
const SHED_STATUSES = new Set(['429', '503']);

interface Capacity {
  readonly messagesPerSecond: number;
  readonly ingestPerSecond: number;
  readonly endToEndPerSecond: number;
}

async function loadKeys(h: Harness, ledger: Ledger): Promise<string[]> {
  const keys = [ledger.key];
  while (keys.length < LOAD_KEYS) keys.push(await h.keyFor(ledger.tenant));
  return keys;
}

/**
 * The capacity of the whole pipeline on this machine: single-message POSTs as fast as 32
 * connections get answers, then the time until the worker stored them all. The smaller of the
 * ingest rate and the end-to-end rate is the capacity the soak and the burst are scaled to.
 */
export function createLoadScenarios() {
  let capacity: Capacity | undefined;
  const measure = async (ctx: ScenarioContext): Promise<Capacity> => {
    if (capacity) return capacity;
    const ledger = await newLedger(ctx.h, 'capacity');
    const keys = await loadKeys(ctx.h, ledger);
    const started = Date.now();
    await runLoad(ledger, {
      ingestUrl: ctx.h.ingestUrl,
      keys,
      connections: 32,
      durationSeconds: ctx.options.capacitySeconds,
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
    });
    await settle(ctx.h, ledger, 300_000);
    const acked = ledger.acknowledged.size;
    const ingestPerSecond = acked / ctx.options.capacitySeconds;
    const endToEndPerSecond = acked / ((Date.now() - started) / 1000);
    capacity = {
      messagesPerSecond: Math.max(1, Math.min(ingestPerSecond, endToEndPerSecond)),
      ingestPerSecond,
      endToEndPerSecond,
    };
    ctx.say(
      `capacity: ingest ${ingestPerSecond.toFixed(0)} msg/s, end to end ${endToEndPerSecond.toFixed(0)} msg/s`,
    );
    return capacity;
  };
  const capacityFigures = (measured: Capacity) => ({
    capacityMsgPerSecond: Math.round(measured.messagesPerSecond),
    ingestCapacityMsgPerSecond: Math.round(measured.ingestPerSecond),
  });

  /** Half the capacity for soakSeconds: error rate, memory slope of both services, queue depth. */
  const soak = async (ctx: ScenarioContext): Promise<ScenarioResult> => {
    const { h, options } = ctx;
    const measured = await measure(ctx);
    const started = Date.now();
    const ledger = await newLedger(h, 'soak');
    const keys = await loadKeys(h, ledger);
    const dlqBefore = await dlqDepth(h);
    const samples: { atMs: number; ingest?: number; worker?: number; depth: number }[] = [];
    const sampling = { on: true };
    const sampler = (async () => {
      while (sampling.on) {
        samples.push({
          atMs: Date.now() - started,
          ingest: h.ingest.rssBytes(),
          worker: h.worker.rssBytes(),
          depth: await queueDepth(h.sqs, h.stack.queueUrl).catch(() => -1),
        });
        await sleep(SAMPLE_MS);
      }
    })();
    const rate = measured.messagesPerSecond / 2;
    const outcome = await runLoad(ledger, {
      ingestUrl: h.ingestUrl,
      keys,
      connections: 16,
      durationSeconds: options.soakSeconds,
      overallRate: rate,
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
    }).finally(() => {
      sampling.on = false;
    });
    await sampler;
    const failures: string[] = [];
    const attempts = outcome.requests + outcome.errors;
    const bad = attempts - (outcome.statuses['202'] ?? 0);
    const errorRate = attempts === 0 ? 1 : bad / attempts;
    if (errorRate > MAX_ERROR_RATE)
      failures.push(
        `error rate ${(errorRate * 100).toFixed(2)} % > ${MAX_ERROR_RATE * 100} % (${JSON.stringify(outcome.statuses)}, ${outcome.errors} errors, ${outcome.timeouts} timeouts)`,
      );
    const maxDepth = Math.max(0, ...samples.map((sample) => sample.depth));
    const depthBound = Math.max(200, Math.round(measured.messagesPerSecond * 10));
    if (maxDepth > depthBound)
      failures.push(
        `queue depth reached ${maxDepth} > ${depthBound} (10 s of capacity): the worker falls behind`,
      );
    const warm = samples.slice(Math.floor(samples.length / 5));
    const slope = (pick: 'ingest' | 'worker') =>
      slopePerMinute(
        warm.flatMap((sample) => {
          const value = sample[pick];
          return value === undefined ? [] : [{ atMs: sample.atMs, value: value / 2 ** 20 }];
        }),
      );
    const slopes = { ingest: slope('ingest'), worker: slope('worker') };
    if (options.soakSeconds >= SLOPE_MIN_SOAK_SECONDS)
      for (const [name, value] of Object.entries(slopes))
        if (value > MAX_SLOPE_MB_PER_MINUTE)
          failures.push(
            `${name} memory grows ${value.toFixed(2)} MB/min > ${MAX_SLOPE_MB_PER_MINUTE} MB/min`,
          );
    const last = samples.at(-1);
    return finish(ctx, 'soak', ledger, {
      started,
      dlqBefore,
      faultEndedAt: Date.now(),
      settleTimeoutMs: 180_000,
      failures,
      figures: {
        ...capacityFigures(measured),
        rateMsgPerSecond: Math.round(rate),
        achievedPerSecond: Math.round(outcome.achievedRate),
        errorRatePercent: Number((errorRate * 100).toFixed(3)),
        p50Ms: outcome.p50Ms,
        p99Ms: outcome.p99Ms,
        maxQueueDepth: maxDepth,
        queueDepthBound: depthBound,
        ingestSlopeMBPerMin: Number(slopes.ingest.toFixed(3)),
        workerSlopeMBPerMin: Number(slopes.worker.toFixed(3)),
        slopeJudged: options.soakSeconds >= SLOPE_MIN_SOAK_SECONDS,
        ingestRssMB: last?.ingest === undefined ? null : Math.round(last.ingest / 2 ** 20),
        workerRssMB: last?.worker === undefined ? null : Math.round(last.worker / 2 ** 20),
      },
    });
  };

  /** Five times the ingest's capacity: it must shed (429/503), never time out or crash, and recover. */
  const burst = async (ctx: ScenarioContext): Promise<ScenarioResult> => {
    const { h, options } = ctx;
    const measured = await measure(ctx);
    const started = Date.now();
    const ledger = await newLedger(h, 'burst');
    const keys = await loadKeys(h, ledger);
    const dlqBefore = await dlqDepth(h);
    // Five times what the ingest itself answers: the overload is the ingest's to shed.
    const rate = measured.ingestPerSecond * 5;
    const outcome = await runLoad(ledger, {
      ingestUrl: h.ingestUrl,
      keys,
      connections: 256,
      durationSeconds: options.burstSeconds,
      overallRate: rate,
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
    });
    const burstEnded = Date.now();
    const failures: string[] = [];
    if (outcome.timeouts > 0)
      failures.push(`${outcome.timeouts} request(s) timed out after ${REQUEST_TIMEOUT_SECONDS} s`);
    if (outcome.errors - outcome.timeouts > 0)
      failures.push(`${outcome.errors - outcome.timeouts} connection error(s) (reset or refused)`);
    const unexpected = Object.entries(outcome.statuses).filter(
      ([status]) => status !== '202' && !SHED_STATUSES.has(status),
    );
    if (unexpected.length > 0)
      failures.push(
        `answers other than 202/429/503: ${JSON.stringify(Object.fromEntries(unexpected))}`,
      );
    const unhelpful = Object.entries(outcome.shed).filter(([shape]) =>
      shape.endsWith('no retry-after'),
    );
    if (unhelpful.length > 0)
      failures.push(
        `refusals without Retry-After: ${JSON.stringify(Object.fromEntries(unhelpful))}`,
      );
    for (const service of [h.ingest, h.worker])
      if (!service.alive) failures.push(`${service.name} died during the burst`);
    const recoveredIn = await firstAccepted(h, ledger, 30_000);
    if (recoveredIn === undefined)
      failures.push('no 202 for a single message within 30 s after the burst');
    const shed = Object.entries(outcome.statuses)
      .filter(([status]) => SHED_STATUSES.has(status))
      .reduce((sum, [, n]) => sum + n, 0);
    return finish(ctx, 'burst', ledger, {
      started,
      dlqBefore,
      faultEndedAt: burstEnded,
      settleTimeoutMs: 300_000,
      failures,
      figures: {
        ...capacityFigures(measured),
        offeredPerSecond: Math.round(rate),
        achievedPerSecond: Math.round(outcome.achievedRate),
        shedRatePercent:
          outcome.requests === 0 ? 0 : Number(((shed / outcome.requests) * 100).toFixed(2)),
        statuses: JSON.stringify(outcome.statuses),
        shedAnswers: JSON.stringify(outcome.shed),
        timeouts: outcome.timeouts,
        connectionErrors: outcome.errors - outcome.timeouts,
        p50Ms: outcome.p50Ms,
        p99Ms: outcome.p99Ms,
        firstAckAfterBurstMs: recoveredIn ?? null,
      },
    });
  };
  return { soak, burst };
}

/** Sends single messages until one is accepted; the ms that took, or undefined past the bound. */
async function firstAccepted(
  h: Harness,
  ledger: Ledger,
  timeoutMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  for (let attempt = 0; Date.now() - started < timeoutMs; attempt += 1) {
    const seq = `recover-${attempt}`;
    ledger.sent += 1;
    const response = await fetch(`${h.ingestUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ledger.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'c0', body: { seq } }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    if (response?.status === 202) {
      ledger.accept({
        id: ((await response.json()) as { id: string }).id,
        seq,
        channel: 'c0',
        critical: false,
      });
      return Date.now() - started;
    }
    await response?.body?.cancel();
    ledger.refuse(String(response?.status ?? 'error'), 1);
    await sleep(250);
  }
  return undefined;
}
