import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** One message the suite sent, by the id the ingest gave it. */
export interface SentMessage {
  readonly id: string;
  /** Unique per sent message, in the body: a second row with the same seq is a duplicate. */
  readonly seq: string;
  readonly channel: string;
  readonly critical: boolean;
}

/** What a scenario sent and what the ingest answered. */
export class Ledger {
  sent = 0;
  readonly acknowledged = new Map<string, SentMessage>();
  /** Answers other than 202, by status ("timeout" and "error" for no answer). */
  readonly refusals = new Map<string, number>();
  /** When the first 202 arrived after each call of markFault. */
  firstAckAfter: number | undefined;
  #faultEndedAt: number | undefined;

  constructor(
    readonly tenant: string,
    readonly key: string,
  ) {}

  refuse(status: string, count: number): void {
    this.refusals.set(status, (this.refusals.get(status) ?? 0) + count);
  }

  accept(message: SentMessage): void {
    this.acknowledged.set(message.id, message);
    if (this.#faultEndedAt !== undefined && this.firstAckAfter === undefined)
      this.firstAckAfter = Date.now() - this.#faultEndedAt;
  }

  /** The fault just ended: the next 202 measures how long the API took to accept again. */
  markFaultEnded(): void {
    this.#faultEndedAt = Date.now();
    this.firstAckAfter = undefined;
  }

  refused(): number {
    let total = 0;
    for (const count of this.refusals.values()) total += count;
    return total;
  }
}

export interface ProduceOptions {
  readonly ingestUrl: string;
  readonly count: number;
  /** Messages per second over all requests. */
  readonly ratePerSecond: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
  /** Stop early (bounded in time as well as count). */
  readonly deadline: number;
  readonly channels?: number;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Sends `count` messages through POST /v1/messages/batch at a steady rate, 5 % of them critical,
 * each with a unique `seq` in its body. A refused batch is not resent (it counts as sent, not
 * acknowledged): the verdict is about what the API acknowledged.
 */
export async function produce(ledger: Ledger, options: ProduceOptions): Promise<void> {
  const batchSize = options.batchSize ?? 10;
  const concurrency = options.concurrency ?? 8;
  const channels = options.channels ?? 5;
  const run = randomBytes(3).toString('hex');
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < options.count && Date.now() < options.deadline) {
      const first = next;
      const end = Math.min(options.count, first + batchSize);
      next = end;
      const due = started + (first / options.ratePerSecond) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      const batch = Array.from({ length: end - first }, (_, offset) => {
        const index = first + offset;
        return {
          seq: `${run}-${index}`,
          channel: `c${index % channels}`,
          critical: index % 20 === 0,
        };
      });
      await sendBatch(options.ingestUrl, ledger, batch);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** `timeout`, or `error:<code>`: ECONNREFUSED (nobody listening) is not a reset in flight. */
function failureKind(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'timeout';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return `error:${typeof cause?.code === 'string' ? cause.code : 'unknown'}`;
}

async function sendBatch(
  ingestUrl: string,
  ledger: Ledger,
  batch: readonly Omit<SentMessage, 'id'>[],
): Promise<void> {
  ledger.sent += batch.length;
  let response: Response;
  try {
    response = await fetch(`${ingestUrl}/v1/messages/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ledger.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: batch.map((message) => ({
          channel: message.channel,
          body: { seq: message.seq },
          priority: message.critical ? 'critical' : 'normal',
        })),
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    ledger.refuse(failureKind(error), batch.length);
    await sleep(100);
    return;
  }
  if (response.status !== 202) {
    await response.body?.cancel();
    ledger.refuse(String(response.status), batch.length);
    // Honour Retry-After loosely: the suite must keep flowing, not stall for 5 s per lane.
    await sleep(response.status === 503 || response.status === 429 ? 250 : 50);
    return;
  }
  const answer = (await response.json()) as {
    results: { index: number; status: string; id?: string; code?: string }[];
  };
  for (const result of answer.results) {
    const message = batch[result.index];
    if (!message) continue;
    if (result.status === 'accepted' && result.id) ledger.accept({ ...message, id: result.id });
    else ledger.refuse(`entry:${result.code ?? 'rejected'}`, 1);
  }
}
